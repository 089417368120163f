#pragma once
// Decodes a chunked request body (RFC 9112 §7.1) strictly and incrementally, handing
// out the data as views of the input (no copy). Written for cogi rather than taken from
// llhttp 8.1, which accepts any two bytes after chunk data in place of CRLF (a request
// smuggling vector). Rejected: chunk sizes that are not hex or overflow 64 bits,
// extensions beyond the part of their grammar llhttp 8.1 reads alike (whitespace on the
// size line, a bare ";", escapes, control bytes, unterminated quotes: see
// extension_byte()) or oversized,
// anything but CRLF after a size line or chunk data, malformed or folded trailer fields,
// and trailer fields that would frame or route the message (Transfer-Encoding,
// Content-Length, Host).
// Trailer fields are validated and dropped (the contract has no request trailers).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cogi/server/http/body_piece.hpp"
#include "cogi/server/http/rejection.hpp"

namespace cogi::http {

class chunked_decoder {
 public:
  using status = piece_status;
  using result = body_piece;

  // `max_trailer_bytes` bounds the trailer section (the header limit applies).
  explicit chunked_decoder(std::size_t max_trailer_bytes = 32 * 1024)
      : max_trailer_bytes_(max_trailer_bytes) {}

  // Consumes framing bytes and returns at most one piece of data per call.
  result decode(std::string_view input);

  bool done() const { return state_ == state::done; }
  const rejection& error() const { return error_; }

 private:
  enum class state {
    size, size_lf,
    // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
    ext_before_name, ext_name, ext_before_value, ext_token_value, ext_quoted_value, ext_after_value,
    data, data_cr, data_lf,
    trailer_line_start, trailer_name, trailer_value, trailer_lf, final_lf,
    done, rejected,
  };

  result reject(std::size_t consumed, std::string_view reason);
  // One byte of a chunk extension; false if it breaks the grammar.
  bool extension_byte(char c);
  // Trailer field names are kept (lower-cased, the first bytes) to refuse framing fields.
  void note_trailer_name(char c);
  bool forbidden_trailer() const;

  state state_ = state::size;
  std::uint64_t chunk_remaining_ = 0;
  unsigned size_digits_ = 0;
  std::size_t extension_bytes_ = 0;
  std::size_t trailer_bytes_ = 0;
  std::array<char, 17> trailer_name_{};  // as long as the longest forbidden name
  std::size_t trailer_name_length_ = 0;
  std::size_t max_trailer_bytes_;
  rejection error_;
};

}  // namespace cogi::http
