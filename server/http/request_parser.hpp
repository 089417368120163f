#pragma once
// Parses a complete request head with llhttp and applies the checks llhttp 8.1 leaves
// to its user: field-name tokens (rejects "Name :"), exactly one valid Host for
// HTTP/1.1, Transfer-Encoding only in HTTP/1.1, request-target form, Expect.
// llhttp itself rejects bad methods, bad URL bytes, control bytes in values,
// duplicate or malformed Content-Length, Content-Length with Transfer-Encoding and a
// Transfer-Encoding whose last coding is not chunked.
//
// The body is not parsed here: llhttp is paused at the end of the head and the
// connection reads the body with content-length counting or chunked_decoder.

#include <cstddef>
#include <optional>

#include <llhttp.h>

#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/rejection.hpp"
#include "cogi/server/http/request_head.hpp"

namespace cogi::http {

class request_parser {
 public:
  explicit request_parser(const limits& limits);
  request_parser(const request_parser&) = delete;
  request_parser& operator=(const request_parser&) = delete;

  // `head` is exactly one request head, from the request line through the empty line,
  // in a mutable buffer (names are lower-cased in place). Fills `out` on success.
  std::optional<rejection> parse(char* head, std::size_t length, request_head& out);

 private:
  static int on_url(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, std::size_t length);
  static int on_headers_complete(llhttp_t* parser);

  std::optional<rejection> check(request_head& out);

  const limits* limits_;
  llhttp_settings_t settings_;
  llhttp_t parser_;
  request_head* current_ = nullptr;
  bool in_value_ = false;
};

}  // namespace cogi::http
