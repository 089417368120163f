#pragma once
// http_exception: thrown anywhere in a handler (or a middleware) to answer with an HTTP
// error instead of a result, as Starlette's HTTPException. The framework turns it into
// a response: `{"detail": "..."}` as JSON, with the given status and extra headers.
//
//   if (!user) throw cogi::http_exception(404, "no such user");

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogi {

class http_exception : public std::runtime_error {
 public:
  // An empty detail becomes the status's reason phrase ("Not Found").
  explicit http_exception(int status, std::string detail = {},
                          std::vector<std::pair<std::string, std::string>> headers = {});

  int status() const noexcept { return status_; }
  // The message for the client (what(), kept once).
  std::string_view detail() const noexcept { return what(); }
  // Sent with the error response, e.g. {"allow", "GET"} or {"retry-after", "1"}.
  const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return headers_; }

 private:
  int status_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace cogi
