#include "middleware/detail/json_error.hpp"

#include <string>
#include <vector>

#include <picojson.h>

namespace cogi::detail {

asio::awaitable<void> send_json_error(send_fn send, int status, std::string_view detail,
                                      std::span<const header> extra) {
  picojson::object o;
  o["detail"] = picojson::value(std::string(detail));
  const std::string body = picojson::value(std::move(o)).serialize();
  std::vector<header> headers = {{"content-type", "application/json"}};
  headers.insert(headers.end(), extra.begin(), extra.end());
  const response_start start{status, headers};
  co_await send(start);
  co_await send(response_body{body, false});
}

}  // namespace cogi::detail
