#include "cogi/framework/models/timestamp.hpp"

namespace cogi::models {
namespace {

// Reads exactly `count` digits at `at`, advancing it; -1 if they are not all there.
int digits(std::string_view text, std::size_t& at, int count) {
  if (at + static_cast<std::size_t>(count) > text.size()) return -1;
  int value = 0;
  for (int i = 0; i < count; ++i) {
    const char c = text[at + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  at += static_cast<std::size_t>(count);
  return value;
}

bool expect(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

std::optional<std::chrono::sys_days> read_date(std::string_view text, std::size_t& at, std::string_view& problem) {
  const int year = digits(text, at, 4);
  if (year < 0 || !expect(text, at, '-')) return problem = "expected YYYY-MM-DD", std::nullopt;
  const int month = digits(text, at, 2);
  if (month < 0 || !expect(text, at, '-')) return problem = "expected YYYY-MM-DD", std::nullopt;
  const int day = digits(text, at, 2);
  if (day < 0) return problem = "expected YYYY-MM-DD", std::nullopt;
  if (month < 1 || month > 12) return problem = "month value is outside expected range of 1-12", std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || year == 0) return problem = "day value is outside expected range", std::nullopt;
  return std::chrono::sys_days(date);
}

void append_two(std::string& out, unsigned value) {
  out.push_back(static_cast<char>('0' + value / 10 % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  std::size_t at = 0;
  std::string_view problem;
  auto date = read_date(text, at, problem);
  if (!date || at != text.size()) return std::nullopt;
  return date;
}

std::optional<date_time> parse_date_time(std::string_view text, std::string_view& problem) {
  using namespace std::chrono;
  std::size_t at = 0;
  const auto date = read_date(text, at, problem);
  if (!date) return std::nullopt;
  // RFC 3339 §5.6 allows 't' and, by its note, a space for 'T'.
  if (at >= text.size() || (text[at] != 'T' && text[at] != 't' && text[at] != ' '))
    return problem = "invalid character in date-time separator", std::nullopt;
  ++at;
  const int hour = digits(text, at, 2);
  if (hour < 0 || !expect(text, at, ':')) return problem = "expected HH:MM:SS", std::nullopt;
  const int minute = digits(text, at, 2);
  if (minute < 0 || !expect(text, at, ':')) return problem = "expected HH:MM:SS", std::nullopt;
  const int second = digits(text, at, 2);
  if (second < 0) return problem = "expected HH:MM:SS", std::nullopt;
  // A leap second (60) is read as the last nanosecond of its minute, as most systems do.
  if (hour > 23 || minute > 59 || second > 60) return problem = "time value is outside expected range", std::nullopt;
  nanoseconds fraction{0};
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t start = at;
    long long ns = 0;
    int kept = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (kept < 9) {
        ns = ns * 10 + (text[at] - '0');
        ++kept;
      }
      ++at;
    }
    if (at == start) return problem = "expected digits after the decimal point", std::nullopt;
    for (; kept < 9; ++kept) ns *= 10;
    fraction = nanoseconds(ns);
  }
  minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const bool east = text[at] == '+';
    ++at;
    const int offset_hours = digits(text, at, 2);
    if (offset_hours < 0 || !expect(text, at, ':')) return problem = "invalid time zone offset", std::nullopt;
    const int offset_minutes = digits(text, at, 2);
    if (offset_minutes < 0 || offset_hours > 23 || offset_minutes > 59)
      return problem = "invalid time zone offset", std::nullopt;
    offset = minutes(offset_hours * 60 + offset_minutes);
    if (!east) offset = -offset;
  } else {
    return problem = "missing time zone offset ('Z' or +HH:MM)", std::nullopt;
  }
  if (at != text.size()) return problem = "unexpected extra characters at the end of the input", std::nullopt;
  const sys_seconds whole = sys_seconds(*date) + hours(hour) + minutes(minute) + seconds(second == 60 ? 59 : second);
  return date_time{whole - offset, second == 60 ? nanoseconds(999'999'999) : fraction};
}

void append_date(std::string& out, std::chrono::sys_days day) {
  const std::chrono::year_month_day date(day);
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    out.append(std::to_string(year));  // outside RFC 3339; still readable
  } else {
    append_two(out, static_cast<unsigned>(year / 100));
    append_two(out, static_cast<unsigned>(year % 100));
  }
  out.push_back('-');
  append_two(out, static_cast<unsigned>(date.month()));
  out.push_back('-');
  append_two(out, static_cast<unsigned>(date.day()));
}

void append_date_time(std::string& out, date_time time, int fraction_digits) {
  using namespace std::chrono;
  const sys_days day = floor<days>(time.seconds);
  append_date(out, day);
  const hh_mm_ss<nanoseconds> clock(duration_cast<nanoseconds>(time.seconds - day) + time.fraction);
  out.push_back('T');
  append_two(out, static_cast<unsigned>(clock.hours().count()));
  out.push_back(':');
  append_two(out, static_cast<unsigned>(clock.minutes().count()));
  out.push_back(':');
  append_two(out, static_cast<unsigned>(clock.seconds().count()));
  long long fraction = clock.subseconds().count();
  if (fraction_digits > 0 && fraction != 0) {
    for (int i = fraction_digits; i < 9; ++i) fraction /= 10;
    if (fraction != 0) {
      char text[9];
      for (int i = fraction_digits - 1; i >= 0; --i, fraction /= 10) text[i] = static_cast<char>('0' + fraction % 10);
      out.push_back('.');
      out.append(text, static_cast<std::size_t>(fraction_digits));
    }
  }
  out.push_back('Z');
}

}  // namespace cogi::models
