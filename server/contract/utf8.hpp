#pragma once
// UTF-8 validation (RFC 3629 §4): what JSON strings (RFC 8259 §8.1), and later WebSocket
// text frames, must hold. Overlong forms, surrogates (U+D800..U+DFFF) and code points
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

}  // namespace cogi
