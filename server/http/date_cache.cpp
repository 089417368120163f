#include "cogi/server/http/date_cache.hpp"

#include <ctime>
#include <string>

#include "cogi/server/http/http_date.hpp"

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
    date = format_http_date(now);
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
