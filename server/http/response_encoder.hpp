#pragma once
// Turns one response's start and body events into HTTP/1.1 bytes and owns every
// framing decision:
//  - the app's content-length is kept and checked against the bytes sent;
//  - without one, a response given in a single body event gets a content-length, and
//    one given in several is chunked (HTTP/1.1) or close-delimited (HTTP/1.0);
//  - HEAD and 1xx/204/304 responses carry no body bytes;
//  - date and server headers are added unless the app set them; connection: close when
//    the connection will not be reused.
// The head is kept here until the first body event, which appends it to the caller's
// output buffer with the framing; so a response that fails before its first body has
// sent nothing, and can still become a proper 500. Small bodies are appended too; the
// caller may instead gather-write a large body piece (data) followed by `suffix`.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cogi/server/contract/scope.hpp"
#include "cogi/server/http/rejection.hpp"

namespace cogi::http {

class response_encoder {
 public:
  struct request_info {
    int version_minor = 1;
    bool head_request = false;
    bool keep_alive = true;  // the client allows reuse and the server wants it
  };

  // A framed body piece: framing before the data is already in `out`; the caller sends
  // `data` and then `suffix` (both views stay valid until the next call).
  struct piece {
    std::string_view data;
    std::string_view suffix;
  };

  // Ready for the next response (the head buffer keeps its capacity).
  void reset(const request_info& info);

  // Validates the app's headers (throws cogi::protocol_error on a bad name, a CR/LF in a
  // value, a bad content-length or a transfer-encoding) and writes the status line and
  // headers into the encoder's head buffer.
  void start(int status, std::span<const header_field> headers);
  // Appends the head (on the first call), the framing and, for small pieces, nothing
  // else: the caller sends `data` then `suffix` (appending them, or gather-writing).
  piece body(std::string& out, std::string_view data, bool more_body);

  // Before start(): the connection will close after this response (connection: close).
  void close_after() { info_.keep_alive = false; }

  bool started() const { return started_; }
  // Whether a body event has put the head in the output (before that, nothing is sent,
  // and abandon() can still take the response back).
  bool body_started() const { return head_done_; }
  // Forgets a response whose head was never sent, so another can be started.
  void abandon() { reset(info_); }
  bool finished() const { return finished_; }
  // The status given to start() (0 before); body bytes handed to body() so far.
  int status() const { return started_ ? status_ : 0; }
  std::uint64_t body_bytes() const { return sent_; }
  // False once the response forces the connection to close (HTTP/1.0 streaming, the
  // app's connection: close, a short content-length).
  bool keep_alive() const { return info_.keep_alive; }

 private:
  void finish_head(std::string& out, std::string_view first_body, bool more_body);

  request_info info_;
  std::string head_;  // status line and headers, until the first body()
  int status_ = 0;
  bool started_ = false;
  bool head_done_ = false;
  bool finished_ = false;
  bool chunked_ = false;
  bool no_body_ = false;
  std::optional<std::uint64_t> declared_length_;
  std::uint64_t sent_ = 0;
};

// A complete short text/plain response for errors the server answers itself
// (400, 413, 500, ...). Always closes unless `keep_alive`; no body for HEAD. Up to
// max_rejection_headers `extra_headers` go with it.
void append_error_response(std::string& out, int status, std::string_view text, bool keep_alive = false,
                           bool head_request = false, std::span<const header_field> extra_headers = {});

// The answer to a request refused before (or instead of) the app: the rejection's
// reason as a line of text, and connection: close (the framing is in doubt).
void append_rejection(std::string& out, const rejection& refused);

}  // namespace cogi::http
