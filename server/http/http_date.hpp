#pragma once
// HTTP dates (RFC 9110 §5.6.7): formatting as IMF-fixdate, parsing all three formats a
// recipient must accept. Locale-free: HTTP wants English day and month names whatever
// LC_TIME says.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cogi::http {

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string format_http_date(std::time_t when);

// The Common Log Format's time, as Apache's %t writes it: "[06/Nov/1994:08:49:37 +0000]".
std::string format_common_log_date(std::time_t when);

// IMF-fixdate, RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime
// ("Sun Nov  6 08:49:37 1994"); nullopt for anything else.
std::optional<std::time_t> parse_http_date(std::string_view text);

}  // namespace cogi::http
