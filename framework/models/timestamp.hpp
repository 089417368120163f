#pragma once
// Timestamps in JSON, as RFC 3339 strings (and JSON Schema's "date-time" and "date"
// formats): "2026-11-30T19:25:27Z", "2026-11-30T20:25:27.5+01:00", and "2026-11-30".
// Read with any offset, written in UTC with a "Z"; fractions of a second kept to
// nanoseconds, and written only when not zero.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cogi::models {

// A date-time as whole seconds and a fraction, so that years 0001 to 9999 all fit
// (int64 nanoseconds since 1970 end in 2262).
struct date_time {
  std::chrono::sys_seconds seconds;
  std::chrono::nanoseconds fraction{0};  // [0, 1 s)
};

// A date-time with its offset applied; nullopt with `problem` set when the text is not
// one ("invalid month", "missing time zone offset").
std::optional<date_time> parse_date_time(std::string_view text, std::string_view& problem);
// A full-date "YYYY-MM-DD".
std::optional<std::chrono::sys_days> parse_date(std::string_view text);

// "2026-11-30T19:25:27.123Z", with `fraction_digits` digits of fraction at most (0 to 9),
// trailing zeros kept to that width, none at all when the fraction is zero.
void append_date_time(std::string& out, date_time time, int fraction_digits);
void append_date(std::string& out, std::chrono::sys_days day);

}  // namespace cogi::models
