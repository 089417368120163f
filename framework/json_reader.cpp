#include "cogi/framework/json_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>

#include "cogi/server/contract/utf8.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

std::string escaped_context(std::string_view text, std::size_t offset) {
  // A little of what comes before the error, and the rest of the budget after it.
  constexpr std::size_t before = json_syntax_error::max_context_bytes / 2;
  const std::size_t start = offset > before ? offset - before : 0;
  const std::string_view excerpt = text.substr(start, json_syntax_error::max_context_bytes);
  std::string out;
  for (const char c : excerpt) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(c);
    } else {
      constexpr std::string_view hex = "0123456789abcdef";
      out.append("\\x").push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xf]);
    }
  }
  return out;
}

std::string describe(const std::string& problem, std::size_t line, std::size_t column, const std::string& context) {
  return problem + " at line " + std::to_string(line) + ", column " + std::to_string(column) + " near '" + context +
         "'";
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  }
}

class reader {
 public:
  reader(std::string_view text, const json_read_limits& limits) : text_(text), limits_(limits) {}

  picojson::value document() {
    skip_whitespace();
    picojson::value value = parse_value(0);
    skip_whitespace();
    if (pos_ != text_.size()) fail("unexpected data after the JSON document");
    return value;
  }

 private:
  [[noreturn]] void fail(std::string problem) const { fail_at(pos_, std::move(problem)); }

  [[noreturn]] void fail_at(std::size_t offset, std::string problem) const {
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < offset; ++i)
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    throw json_syntax_error(std::move(problem), offset, line, offset - line_start + 1, escaped_context(text_, offset));
  }

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  void expect(char c, const char* problem) {
    if (at_end() || peek() != c) fail(problem);
    ++pos_;
  }

  picojson::value parse_value(std::size_t depth) {
    if (at_end()) fail("unexpected end of the document");
    switch (peek()) {
      case '{':
        return parse_object(depth + 1);
      case '[':
        return parse_array(depth + 1);
      case '"':
        return picojson::value(parse_string());
      case 't':
        parse_literal("true");
        return picojson::value(true);
      case 'f':
        parse_literal("false");
        return picojson::value(false);
      case 'n':
        parse_literal("null");
        return picojson::value();
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number();
        fail("expected a value");
    }
  }

  void enter(std::size_t depth) const {
    if (depth > limits_.max_depth) fail("nested more than " + std::to_string(limits_.max_depth) + " levels deep");
  }

  picojson::value parse_object(std::size_t depth) {
    enter(depth);
    ++pos_;  // '{'
    picojson::object object;
    skip_whitespace();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return picojson::value(std::move(object));
    }
    for (;;) {
      skip_whitespace();
      if (at_end() || peek() != '"') fail("expected a string as object key");
      std::string key = parse_string();
      skip_whitespace();
      expect(':', "expected ':' after an object key");
      skip_whitespace();
      object[std::move(key)] = parse_value(depth);
      skip_whitespace();
      if (!at_end() && peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}', "expected ',' or '}' in an object");
      return picojson::value(std::move(object));
    }
  }

  picojson::value parse_array(std::size_t depth) {
    enter(depth);
    ++pos_;  // '['
    picojson::array array;
    skip_whitespace();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return picojson::value(std::move(array));
    }
    for (;;) {
      skip_whitespace();
      array.push_back(parse_value(depth));
      skip_whitespace();
      if (!at_end() && peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']', "expected ',' or ']' in an array");
      return picojson::value(std::move(array));
    }
  }

  void parse_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("invalid literal");
    pos_ += word.size();
  }

  picojson::value parse_number() {
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259 §6)
    const std::size_t start = pos_;
    const auto digits = [this] {
      const std::size_t first = pos_;
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
      return pos_ - first;
    };
    if (peek() == '-') ++pos_;
    if (!at_end() && peek() == '0') {
      ++pos_;
      if (!at_end() && peek() >= '0' && peek() <= '9') fail("leading zeros in a number");
    } else if (digits() == 0) {
      fail("expected a digit");
    }
    bool integral = true;
    if (!at_end() && peek() == '.') {
      ++pos_;
      integral = false;
      if (digits() == 0) fail("expected a digit after the decimal point");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      integral = false;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (digits() == 0) fail("expected a digit in the exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      std::int64_t value = 0;
      const auto [end, ec] = std::from_chars(first, last, value);
      if (ec == std::errc{} && end == last) return picojson::value(value);
      // Past 64 bits: a double, as picojson does.
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || end != last || !std::isfinite(value)) fail_at(start, "number out of range");
    return picojson::value(value);
  }

  std::uint32_t parse_hex4() {
    if (text_.size() - pos_ < 4) fail("incomplete \\u escape");
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = http::hex_value(text_[pos_]);
      if (digit < 0) fail("invalid \\u escape");
      value = value * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    return value;
  }

  void parse_escape(std::string& out) {
    const std::size_t start = pos_ - 1;  // the backslash
    if (at_end()) fail("unexpected end of the document in a string");
    const char c = text_[pos_++];
    switch (c) {
      case '"': out.push_back('"'); return;
      case '\\': out.push_back('\\'); return;
      case '/': out.push_back('/'); return;
      case 'b': out.push_back('\b'); return;
      case 'f': out.push_back('\f'); return;
      case 'n': out.push_back('\n'); return;
      case 'r': out.push_back('\r'); return;
      case 't': out.push_back('\t'); return;
      case 'u': break;
      default: fail_at(start, "invalid escape in a string");
    }
    std::uint32_t code_point = parse_hex4();
    if (code_point >= 0xdc00 && code_point <= 0xdfff) fail_at(start, "lone low surrogate in a \\u escape");
    if (code_point >= 0xd800 && code_point <= 0xdbff) {
      // A high surrogate must be followed by an escaped low one (RFC 8259 §7).
      if (text_.substr(pos_, 2) != "\\u") fail_at(start, "lone high surrogate in a \\u escape");
      pos_ += 2;
      const std::uint32_t low = parse_hex4();
      if (low < 0xdc00 || low > 0xdfff) fail_at(start, "lone high surrogate in a \\u escape");
      code_point = 0x10000 + ((code_point - 0xd800) << 10) + (low - 0xdc00);
    }
    append_utf8(out, code_point);
  }

  std::string parse_string() {
    ++pos_;  // '"'
    std::string out;
    std::size_t run = pos_;  // start of the plain bytes not yet copied
    for (;;) {
      if (at_end()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"' || c == '\\') {
        out.append(text_.substr(run, pos_ - run));
        ++pos_;
        if (c == '"') return out;
        parse_escape(out);
        run = pos_;
      } else if (c < 0x20) {
        fail("control character in a string");
      } else if (c < 0x80) {
        ++pos_;
      } else {
        const std::size_t length = utf8_sequence_length(text_.substr(pos_));
        if (length == 0) fail("invalid UTF-8 in a string");
        pos_ += length;
      }
    }
  }

  std::string_view text_;
  const json_read_limits& limits_;
  std::size_t pos_ = 0;
};

}  // namespace

json_syntax_error::json_syntax_error(std::string problem, std::size_t offset, std::size_t line, std::size_t column,
                                     std::string context)
    : std::runtime_error(describe(problem, line, column, context)),
      problem_(std::move(problem)),
      offset_(offset),
      line_(line),
      column_(column),
      context_(std::move(context)) {}

picojson::value read_json(std::string_view text, const json_read_limits& limits) {
  return reader(text, limits).document();
}

}  // namespace cogi
