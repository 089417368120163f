#pragma once
// Finds the end of a request head (request line + header fields + empty line) in the
// connection's buffer and enforces what must hold before llhttp sees it:
//  - size limits: request target (414), head bytes and field count (431);
//  - line endings: every line ends in CRLF; a bare CR or bare LF is a 400;
//  - no obs-fold: a field line starting with SP or HTAB is a 400 (RFC 9112 §5.2;
//    llhttp 8.1 would accept it);
//  - the version: HTTP/1.x with x > 1 is served as 1.1 (rewritten in place, since
//    llhttp 8.1 rejects it); any other major version is a 505.
// Empty lines before the request line are skipped (RFC 9112 §2.2).
// The scanner resumes where it stopped when more bytes arrive.

#include <cstddef>
#include <optional>

#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/rejection.hpp"

namespace cogi::http {

class head_scanner {
 public:
  enum class state { incomplete, complete, rejected };

  explicit head_scanner(const limits& limits) : limits_(&limits) {}

  // `data` always starts at the first unconsumed byte of the connection; it may grow
  // between calls but never moves its start without a reset().
  state scan(char* data, std::size_t size);

  // After `complete`: bytes of blank lines skipped before the request line, and the
  // length of the head itself (request line through the empty line).
  std::size_t prefix_length() const { return prefix_; }
  std::size_t head_length() const { return head_end_ - prefix_; }
  // Whether any byte of this request has arrived (a timeout then answers 408).
  bool any_bytes_seen() const { return saw_bytes_; }
  // After `rejected`.
  const rejection& error() const { return error_; }

  void reset() { *this = head_scanner(*limits_); }

 private:
  state reject(int status, std::string_view reason);
  // The longest request line buffered: the target limit plus room for method, spaces and
  // version (a longer line is a 414 before its end arrives).
  std::size_t request_line_limit() const { return limits_->max_target_bytes + 64; }
  state check_request_line(char* line, std::size_t length);

  const limits* limits_;
  std::size_t position_ = 0;   // next byte to examine
  std::size_t prefix_ = 0;     // skipped blank lines
  std::size_t line_start_ = 0;
  std::size_t head_end_ = 0;
  std::size_t fields_ = 0;
  bool in_request_line_ = true;
  bool saw_bytes_ = false;
  rejection error_;
};

}  // namespace cogi::http
