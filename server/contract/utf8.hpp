#pragma once
// UTF-8 validation (RFC 3629 §4): what JSON strings (RFC 8259 §8.1) and WebSocket text
// messages (RFC 6455 §5.6, §8.1) must hold. Overlong forms, surrogates (U+D800..U+DFFF) and code points
// past U+10FFFF are invalid. In the lowest layer: the log writes JSON lines too.

#include <cstddef>
#include <string_view>

namespace cogi {

// The length (1 to 4) of the well-formed UTF-8 sequence at the start of `text`, or 0 if
// it does not start with one (an empty `text` included).
std::size_t utf8_sequence_length(std::string_view text);

// The offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return find_invalid_utf8(text) == std::string_view::npos; }

// Validates text that arrives in pieces (a WebSocket message in frames, a frame in
// reads) and fails at the first byte that no continuation could make valid: RFC 6455
// §8.1 asks an endpoint to fail the connection then, not at the message's end. A
// sequence may be split anywhere between pieces.
class utf8_validator {
 public:
  // False once the text so far cannot be the start of well-formed UTF-8 (and from then on).
  bool feed(std::string_view piece);
  // Whether the text fed so far is whole and well-formed: no sequence left open.
  bool complete() const { return !failed_ && needed_ == 0; }
  bool failed() const { return failed_; }
  void reset() { *this = utf8_validator{}; }

 private:
  unsigned char needed_ = 0;  // continuation bytes still to come for the open sequence
  // The range the next continuation byte must fall in (narrower than 80..BF only right
  // after the leads that could otherwise make overlongs, surrogates or > U+10FFFF).
  unsigned char next_low_ = 0x80;
  unsigned char next_high_ = 0xbf;
  bool failed_ = false;
};

}  // namespace cogi
