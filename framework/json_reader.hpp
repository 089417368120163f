#pragma once
// JSON text (RFC 8259) into a picojson::value, strictly and safely for input from the
// network, which picojson's own parse() is not:
//  - strings must be valid UTF-8 (§8.1), and \u escapes may not leave a lone surrogate;
//  - nesting is bounded (picojson recurses without limit: "[[[[..." overflows the stack);
//  - an error says what and where (line, column, a few escaped bytes of context), and
//    never carries the document itself, so a 400 stays small whatever was sent.
// Integers that fit in 64 bits stay exact (int64_t), other numbers are doubles; a number
// beyond the double range is an error. Duplicate object keys: the last one wins.
//
//   picojson::value doc = cogi::read_json(R"({"name": "Ada"})");

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <picojson.h>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct json_read_limits {
  std::size_t max_depth = 256;  // arrays and objects inside each other

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_depth)
};

// Malformed JSON. what() is the whole description: "<problem> at line L, column C near
// '<context>'".
class json_syntax_error : public std::runtime_error {
 public:
  json_syntax_error(std::string problem, std::size_t offset, std::size_t line, std::size_t column,
                    std::string context);

  const std::string& problem() const noexcept { return problem_; }  // e.g. "expected ':'"
  std::size_t offset() const noexcept { return offset_; }           // bytes from the start
  std::size_t line() const noexcept { return line_; }               // 1-based
  std::size_t column() const noexcept { return column_; }           // 1-based, in bytes
  // At most max_context_bytes of the text around the error, each byte that is not
  // printable ASCII written as \xNN (the context of a UTF-8 error is itself not UTF-8).
  const std::string& context() const noexcept { return context_; }

  static constexpr std::size_t max_context_bytes = 40;

 private:
  std::string problem_;
  std::size_t offset_, line_, column_;
  std::string context_;
};

// Parses one JSON document; only whitespace may follow it. Throws json_syntax_error.
picojson::value read_json(std::string_view text, const json_read_limits& limits = {});

}  // namespace cogi
