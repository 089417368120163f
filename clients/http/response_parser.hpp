#pragma once
// Parses one HTTP/1.1 response as its bytes arrive, with llhttp (strict: no lenient
// flags), sans I/O: the connection feeds what it reads and learns when the head and the
// message are complete. The body comes out de-chunked and still content-encoded.
//
// What it enforces beyond llhttp: field names are tokens (no "Name :"), each chunk's
// data is followed by CRLF (llhttp 8.1, not built in its strict mode, skips those two
// bytes unread), the head stays within max_head_size and max_header_count, the raw body
// within max_body_size, and a 101 (an upgrade the client never asked for) is an error.
// Interim 1xx responses (100 Continue, 103 Early Hints) are skipped. A HEAD request's
// response, 1xx, 204 and 304 have no body whatever their framing headers say; a body
// with neither Content-Length nor chunked framing ends when the connection does
// (finish()).

#include <cstddef>
#include <string>
#include <string_view>

#include <llhttp.h>

#include "cogi/clients/http/response_head.hpp"

namespace cogi::fetch {

struct parse_limits {
  std::size_t max_head_size = 64 * 1024;
  std::size_t max_header_count = 128;
  std::size_t max_body_size = 64 * 1024 * 1024;  // before decoding
};

class response_parser {
 public:
  explicit response_parser(const parse_limits& limits);
  response_parser(const response_parser&) = delete;
  response_parser& operator=(const response_parser&) = delete;

  // Begins the response to a request (a HEAD request's has no body), with its own body
  // limit (0: the limits' max_body_size).
  void start(bool head_request, std::size_t max_body_size = 0);

  // Takes bytes of the response; body bytes are appended to `body`. Returns how many it
  // took: fewer than given only once the message is complete (what follows is not part
  // of it). Throws malformed_response or response_too_large.
  std::size_t feed(std::string_view input, std::string& body);

  // The connection ended: completes a body that ends with the connection; otherwise,
  // unless already complete, throws connection_error (the response was cut short).
  void finish();

  bool head_complete() const { return head_complete_; }
  bool complete() const { return complete_; }
  const response_head& head() const { return head_; }
  response_head& head() { return head_; }
  // Once complete: whether the connection may carry another request (HTTP/1.1 without
  // "Connection: close", or HTTP/1.0 with keep-alive).
  bool keep_alive() const { return keep_alive_; }
  // Whether the body's end is the connection's end (no length, not chunked).
  bool body_ends_with_connection() const;
  std::size_t body_bytes() const { return body_bytes_; }

 private:
  static int on_status(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, std::size_t length);
  static int on_headers_complete(llhttp_t* parser);
  static int on_body(llhttp_t* parser, const char* at, std::size_t length);
  static int on_message_complete(llhttp_t* parser);
  bool count_head_bytes(std::size_t n);
  bool check_crlf(const char* at, const char* end);
  [[noreturn]] void fail(llhttp_errno_t code);

  parse_limits limits_;
  std::size_t max_body_size_ = 0;
  llhttp_settings_t settings_;
  llhttp_t parser_;
  response_head head_;
  std::string* body_ = nullptr;
  std::size_t head_bytes_ = 0;
  std::size_t body_bytes_ = 0;
  bool head_request_ = false;
  bool in_value_ = false;
  bool head_complete_ = false;
  bool complete_ = false;
  bool keep_alive_ = false;
  const char* failure_ = nullptr;  // why a callback stopped the parser
  bool too_large_ = false;
  bool chunked_ = false;
  int crlf_pending_ = 0;  // bytes of a chunk's trailing CRLF not yet seen
  const char* input_end_ = nullptr;
};

}  // namespace cogi::fetch
