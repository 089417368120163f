#include "server/http/date_cache.hpp"

#include <cstdio>
#include <ctime>

namespace cogi::http {

std::string_view http_date_now() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[32];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    // strftime's %a/%b follow LC_TIME; HTTP wants the C locale's English names.
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int written = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                      days[parts.tm_wday], parts.tm_mday, months[parts.tm_mon],
                                      parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
    length = written > 0 ? static_cast<std::size_t>(written) : 0;
    cached_second = now;
  }
  return {text, length};
}

}  // namespace cogi::http
