#include "cogi/framework/http_exception.hpp"

#include "cogi/server/http/status.hpp"

namespace cogi {

namespace {
std::string detail_or_reason(int status, std::string detail) {
  if (!detail.empty()) return detail;
  return std::string(http::reason_phrase(status));
}
}  // namespace

http_exception::http_exception(int status, std::string detail,
                               std::vector<std::pair<std::string, std::string>> headers)
    : std::runtime_error(detail_or_reason(status, std::move(detail))), status_(status), headers_(std::move(headers)) {}

}  // namespace cogi
