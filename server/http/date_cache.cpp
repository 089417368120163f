#include "server/http/date_cache.hpp"

#include <cstdio>
#include <ctime>
#include <string>

namespace cogi::http {
namespace {

// Per thread: the current second's date text and the header lines built from it.
struct date_lines {
  std::time_t second = -1;
  std::string date;
  std::string lines;

  void refresh() {
    const std::time_t now = std::time(nullptr);
    if (now == second) return;
    second = now;
    std::tm parts{};
    gmtime_r(&now, &parts);
    // strftime's %a/%b follow LC_TIME; HTTP wants the C locale's English names.
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[40];
    const int written = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                      days[parts.tm_wday], parts.tm_mday, months[parts.tm_mon],
                                      parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
    date.assign(text, written > 0 ? static_cast<std::size_t>(written) : 0);
    lines.assign("date: ").append(date).append("\r\nserver: cogi\r\n");
  }
};

date_lines& current() {
  thread_local date_lines cache;
  cache.refresh();
  return cache;
}

}  // namespace

std::string_view http_date_now() { return current().date; }

std::string_view date_and_server_lines() { return current().lines; }

}  // namespace cogi::http
