#include "cogi/server/http/http_date.hpp"

#include <array>
#include <cstdio>

namespace cogi::http {
namespace {

constexpr std::array<std::string_view, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_index(std::string_view name) {
  for (std::size_t i = 0; i < months.size(); ++i)
    if (months[i] == name) return static_cast<int>(i);
  return -1;
}

std::optional<std::time_t> to_time(int year, int month, int day, int hour, int minute, int second) {
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return timegm(&parts);
}

}  // namespace

std::string format_http_date(std::time_t when) {
  std::tm parts{};
  gmtime_r(&when, &parts);
  char text[40];
  const int written = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                    days[static_cast<std::size_t>(parts.tm_wday)].data(), parts.tm_mday,
                                    months[static_cast<std::size_t>(parts.tm_mon)].data(), parts.tm_year + 1900,
                                    parts.tm_hour, parts.tm_min, parts.tm_sec);
  return std::string(text, written > 0 ? static_cast<std::size_t>(written) : 0);
}

std::string format_common_log_date(std::time_t when) {
  std::tm parts{};
  gmtime_r(&when, &parts);
  char text[40];
  const int written = std::snprintf(text, sizeof text, "[%02d/%s/%04d:%02d:%02d:%02d +0000]", parts.tm_mday,
                                    months[static_cast<std::size_t>(parts.tm_mon)].data(), parts.tm_year + 1900,
                                    parts.tm_hour, parts.tm_min, parts.tm_sec);
  return std::string(text, written > 0 ? static_cast<std::size_t>(written) : 0);
}

std::optional<std::time_t> parse_http_date(std::string_view text) {
  const std::string s(text);  // sscanf needs a terminated string
  char weekday[16] = {}, month[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, used = 0;
  // IMF-fixdate
  if (std::sscanf(s.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", weekday, &day, month, &year, &hour, &minute,
                  &second, &used) == 7 &&
      used == static_cast<int>(s.size()))
    return to_time(year, month_index(month), day, hour, minute, second);
  // RFC 850: two-digit years are taken as 19xx/20xx by the 50-year rule (RFC 9110 §5.6.7).
  if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d GMT%n", weekday, &day, month, &year, &hour,
                  &minute, &second, &used) == 7 &&
      used == static_cast<int>(s.size()))
    return to_time(year < 70 ? 2000 + year : 1900 + year, month_index(month), day, hour, minute, second);
  // asctime
  if (std::sscanf(s.c_str(), "%3s %3s %2d %2d:%2d:%2d %4d%n", weekday, month, &day, &hour, &minute, &second, &year,
                  &used) == 7 &&
      used == static_cast<int>(s.size()))
    return to_time(year, month_index(month), day, hour, minute, second);
  return std::nullopt;
}

}  // namespace cogi::http
