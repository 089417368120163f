#include "cogi/framework/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace cogi {
namespace {

// What picojson writes for each byte of a string: nothing special (0), a two-character
// escape (the letter), or \u00XX ('u'). '/' is escaped as picojson does.
constexpr std::array<char, 256> escapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table[0x7f] = 'u';
  table['"'] = '"';
  table['\\'] = '\\';
  table['/'] = '/';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  return table;
}();

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char escape = escapes[static_cast<unsigned char>(text[i])];
    if (escape == 0) continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    if (escape != 'u') {
      const char pair[2] = {'\\', escape};
      out.append(pair, 2);
    } else {
      constexpr std::string_view hex = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(text[i]);
      const char code[6] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xf]};
      out.append(code, 6);
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

}  // namespace

void append_json_integer(std::string& out, std::int64_t number) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
}

void append_json_unsigned(std::string& out, std::uint64_t number) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
}

void append_json_double(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out.append("null");
    return;
  }
  char text[32];
  out.append(text, std::to_chars(text, text + sizeof text, number).ptr);
}

namespace {

void append_number(std::string& out, const picojson::value& value) {
  const double number = value.get<double>();
  // picojson prints integral numbers below 2^53 with "%.f": the same digits as the
  // integer, "-0" for negative zero included.
  if (std::fabs(number) < 9007199254740992.0 && std::trunc(number) == number) {
    if (number == 0 && std::signbit(number)) {
      out.append("-0");
      return;
    }
    append_json_integer(out, static_cast<std::int64_t>(number));
    return;
  }
  // "%.17g", as picojson prints it (always with '.', whatever the locale).
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, number, std::chars_format::general, 17).ptr;
  out.append(text, end);
}

}  // namespace

void append_json(std::string& out, const picojson::value& value) {
  if (value.is<std::string>()) {
    append_string(out, value.get<std::string>());
  } else if (value.is<picojson::object>()) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, member] : value.get<picojson::object>()) {
      if (!first) out.push_back(',');
      first = false;
      append_string(out, key);
      out.push_back(':');
      append_json(out, member);
    }
    out.push_back('}');
  } else if (value.is<picojson::array>()) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : value.get<picojson::array>()) {
      if (!first) out.push_back(',');
      first = false;
      append_json(out, element);
    }
    out.push_back(']');
#ifdef PICOJSON_USE_INT64
  } else if (value.is<std::int64_t>()) {  // before is<double>(), which is true for it too
    append_json_integer(out, value.get<std::int64_t>());
#endif
  } else if (value.is<double>()) {
    append_number(out, value);
  } else {
    out.append(value.to_str());  // null, true, false
  }
}

std::string to_json(const picojson::value& value) {
  std::string out;
  out.reserve(256);  // most responses fit: one allocation instead of a doubling series
  append_json(out, value);
  return out;
}

}  // namespace cogi
