#pragma once
// Frames a request body out of received bytes: counts a Content-Length body or runs the
// chunked_decoder, enforces the body-size limit (413 while streaming, not only from
// Content-Length), and hands out body pieces as views of the input.

#include <cstdint>
#include <string_view>

#include "cogi/server/http/chunked_decoder.hpp"
#include "cogi/server/http/rejection.hpp"
#include "cogi/server/http/request_head.hpp"

namespace cogi::http {

class body_reader {
 public:
  using status = piece_status;
  using result = body_piece;

  // `max_body_bytes` 0 means unlimited; `max_trailer_bytes` bounds chunked trailers.
  void reset(const request_head& head, std::uint64_t max_body_bytes, std::size_t max_trailer_bytes);

  // The next piece of body from `available`; `done` once the body has ended (a
  // body without bytes is done at once).
  result next(std::string_view available);

  bool done() const { return done_; }
  bool chunked() const { return chunked_; }
  std::uint64_t received() const { return received_; }
  // Content-Length bytes not yet received (0 for chunked bodies).
  std::uint64_t remaining() const { return remaining_; }
  const rejection& error() const { return error_; }

 private:
  chunked_decoder decoder_;
  bool chunked_ = false;
  bool done_ = true;
  std::uint64_t remaining_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t max_body_bytes_ = 0;
  rejection error_;
};

}  // namespace cogi::http
