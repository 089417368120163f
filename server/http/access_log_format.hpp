#pragma once
// One access-log line per request, in a format named once and compiled: what the
// runner's --access-log writes (server/runtime/access_logger.hpp) and what the
// access_log middleware writes (middleware/access_log.hpp).
//
// Formats:
//   "common"    Apache's common log format:  %h %l %u %t "%r" %>s %b
//   "combined"  common plus "%{Referer}i" "%{User-Agent}i" (what nginx writes by default)
//   "json"      one JSON object per line, for log collectors: time, client, method, path,
//               query, protocol, status, bytes, duration_ms, referer, user_agent
//   or Apache mod_log_config directives: %h client address, %l and %u "-", %t [time],
//   %r request line, %s or %>s status, %b bytes ("-" for none), %B bytes, %D
//   microseconds, %T seconds, %m method, %U path, %q "?query" or "", %H protocol,
//   %{Name}i a request header, %{Name}o a response header, %% a percent sign.
// Client-controlled bytes are escaped (\" \\ \xNN), so a line stays one line.

#include <chrono>
#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cogi/server/contract/scope.hpp"

namespace cogi::http {

// What a line says of one request.
struct access_record {
  const scope* request = nullptr;  // client, method, target, protocol, request headers
  int status = 0;
  std::uint64_t body_bytes = 0;
  std::time_t received = 0;  // %t: when the request came in, as Apache logs it
  std::chrono::nanoseconds duration{};
  // The response headers the format names (see wants_response_header()).
  std::span<const std::pair<std::string, std::string>> response_headers;
};

class access_log_format {
 public:
  // Throws std::invalid_argument for an unknown name or directive.
  explicit access_log_format(std::string_view format = "combined");

  // Appends the line for `record`, without a newline.
  void append(std::string& line, const access_record& record) const;

  // Whether the format names response header `name` (%{Name}o): only those need keeping.
  bool wants_response_header(std::string_view name) const;
  bool wants_response_headers() const { return wants_response_headers_; }

 private:
  enum class field { literal, client, dash, time, request_line, status, bytes_or_dash, bytes, micros, seconds,
                     method, path, query, protocol, request_header, response_header };
  struct directive {
    field what;
    std::string text;  // the literal, or the header name
  };

  void compile(std::string_view directives);
  void append_json(std::string& line, const access_record& record) const;

  bool json_ = false;
  std::vector<directive> directives_;
  bool wants_response_headers_ = false;
};

}  // namespace cogi::http
