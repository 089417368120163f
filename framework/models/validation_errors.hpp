#pragma once
// What was wrong with an input, every problem of it: where (a path from the input's
// root, as FastAPI writes it: ["body", "tags", 2]), what kind of problem (pydantic's
// error types: "missing", "string_too_short", "int_parsing", ...) and a sentence for a
// person. A handler's typed parameters gather them all before answering 422:
//     {"detail": [{"loc": ["body", "title"], "msg": "Field required", "type": "missing"},
//                 {"loc": ["query", "limit"], "msg": "Input should be a valid integer, ...",
//                  "type": "int_parsing"}]}
//
// The list is bounded (a client can send a million bad items; the answer stays small):
// past the limit one last entry says that more were found.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cogi::models {

// Where a value sits in the input: links kept on the stack while reading, so that
// going down a level costs nothing until a problem needs the path written out.
struct location {
  const location* parent = nullptr;
  std::string_view key;  // a field's name or a section ("body", "query"); empty for an item
  std::size_t index = 0;
  bool is_index = false;

  location field(std::string_view name) const { return {this, name, 0, false}; }
  location item(std::size_t i) const { return {this, {}, i, true}; }
};

struct validation_issue {
  std::vector<std::variant<std::string, std::size_t>> loc;
  std::string type;     // "missing"
  std::string message;  // "Field required"
};

class validation_errors {
 public:
  static constexpr std::size_t default_limit = 64;
  // Keys that come from the input (a map's keys) are cut to this many bytes in a loc.
  static constexpr std::size_t max_key_bytes = 64;

  explicit validation_errors(std::size_t limit = default_limit) : limit_(limit) {}

  void add(const location& where, std::string_view type, std::string message);
  bool empty() const { return issues_.empty() && !truncated_; }
  std::size_t size() const { return issues_.size(); }
  // More problems were found than the limit keeps.
  bool truncated() const { return truncated_; }
  const std::vector<validation_issue>& issues() const { return issues_; }
  // Appends `other`'s issues (used when several inputs are read separately).
  void merge(const validation_errors& other);

  // FastAPI's body: {"detail": [{"loc": [...], "msg": "...", "type": "..."}, ...]}.
  std::string to_json() const;
  // One line per issue, as pydantic prints them: "body.title: Field required [missing]".
  std::string summary() const;

 private:
  std::vector<validation_issue> issues_;
  std::size_t limit_;
  bool truncated_ = false;
};

// An input that does not fit its model (cogi::from_json<T> throws it). Uncaught in a
// handler it is a bug there, hence a 500 like any other exception.
class validation_error : public std::runtime_error {
 public:
  explicit validation_error(validation_errors errors);
  const validation_errors& errors() const noexcept { return errors_; }

 private:
  validation_errors errors_;
};

// A request whose typed parameters do not fit (FastAPI's RequestValidationError): the
// framework answers 422 with errors().to_json(), unless an exception handler for it
// renders something else.
class request_validation_error : public validation_error {
 public:
  using validation_error::validation_error;
};

}  // namespace cogi::models
