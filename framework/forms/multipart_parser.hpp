#pragma once
// multipart/form-data (RFC 7578, framed as RFC 2046 §5.1.1 says), parsed as the body
// arrives: fed any pieces, it reports each part's start (its name, filename and content
// type), its bytes, and its end, and never holds more than one part's head and a
// delimiter's length of its data. Nothing here reads a socket or writes a file
// (form_data.hpp does both), so it is fuzzed on its own.
//
//   cogi::multipart_parser parser(*cogi::multipart_boundary(content_type), limits);
//   parser.feed(chunk, events);   // ... for each piece; then
//   parser.finish();              // throws if the body ended inside the form
//
// A body that breaks the framing throws multipart_error (a 400 with what was wrong);
// one past a limit throws multipart_limit_error (a 413).

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct multipart_limits {
  std::size_t max_parts = 1000;          // Starlette's max_fields + max_files
  std::size_t max_head_bytes = 16 * 1024;  // one part's header block

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_parts, max_head_bytes)
};

class multipart_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class multipart_limit_error : public multipart_error {
 public:
  using multipart_error::multipart_error;
};

// One part's head, as its Content-Disposition and Content-Type say.
struct multipart_part {
  std::string name;
  std::optional<std::string> filename;  // present for a file, even when empty
  std::string content_type;             // "text/plain" when the part gives none (RFC 7578 §4.4)
};

// What the parser reports, in order: begin, data (any number of pieces), end; per part.
class multipart_events {
 public:
  virtual ~multipart_events() = default;
  virtual void begin(const multipart_part& part) = 0;
  virtual void data(std::string_view bytes) = 0;
  virtual void end() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt when the type
// is another or the boundary is missing or invalid (1 to 70 characters, RFC 2046 §5.1.1).
std::optional<std::string> multipart_boundary(std::string_view content_type);

class multipart_parser {
 public:
  explicit multipart_parser(std::string boundary, multipart_limits limits = {});

  // Parses the next piece of the body. Events for the bytes so far are reported before
  // it returns, except a delimiter's length (and two bytes) of data held back until it
  // is known not to start the next boundary.
  void feed(std::string_view piece, multipart_events& events);
  // The body has ended: throws multipart_error unless the closing boundary was seen.
  void finish() const;
  bool done() const { return state_ == state::done; }

 private:
  enum class state { preamble, after_boundary, head, body, done };

  void parse_head(std::string_view head, multipart_events& events);

  std::string delimiter_;  // "\r\n--" + boundary
  multipart_limits limits_;
  state state_ = state::preamble;
  std::string pending_;     // bytes kept across feeds: a partial head or delimiter
  std::size_t parts_ = 0;
};

}  // namespace cogi
