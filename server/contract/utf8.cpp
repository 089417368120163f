#include "cogi/server/contract/utf8.hpp"

namespace cogi {
namespace {

bool in(unsigned char c, unsigned char low, unsigned char high) { return c >= low && c <= high; }

}  // namespace

std::size_t utf8_sequence_length(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  // The well-formed byte sequences of Unicode's table 3-7: the second byte's range
  // depends on the lead, which rules out overlong forms, surrogates and > U+10FFFF.
  std::size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xbf;
  if (in(lead, 0xc2, 0xdf)) {
    length = 2;
  } else if (in(lead, 0xe0, 0xef)) {
    length = 3;
    if (lead == 0xe0) second_low = 0xa0;   // overlong below U+0800
    if (lead == 0xed) second_high = 0x9f;  // surrogates
  } else if (in(lead, 0xf0, 0xf4)) {
    length = 4;
    if (lead == 0xf0) second_low = 0x90;   // overlong below U+10000
    if (lead == 0xf4) second_high = 0x8f;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (text.size() < length || !in(byte(1), second_low, second_high)) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (!in(byte(i), 0x80, 0xbf)) return 0;
  return length;
}

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;  // ASCII: the common case, without the table
      continue;
    }
    const std::size_t length = utf8_sequence_length(text.substr(i));
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool utf8_validator::feed(std::string_view piece) {
  if (failed_) return false;
  std::size_t i = 0;
  while (i < piece.size()) {
    const auto c = static_cast<unsigned char>(piece[i]);
    if (needed_ > 0) {
      if (!in(c, next_low_, next_high_)) return !(failed_ = true);
      --needed_;
      next_low_ = 0x80;
      next_high_ = 0xbf;
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    // A lead byte: the same table as utf8_sequence_length(), kept as state.
    if (in(c, 0xc2, 0xdf)) {
      needed_ = 1;
    } else if (in(c, 0xe0, 0xef)) {
      needed_ = 2;
      if (c == 0xe0) next_low_ = 0xa0;
      if (c == 0xed) next_high_ = 0x9f;
    } else if (in(c, 0xf0, 0xf4)) {
      needed_ = 3;
      if (c == 0xf0) next_low_ = 0x90;
      if (c == 0xf4) next_high_ = 0x8f;
    } else {
      return !(failed_ = true);
    }
    ++i;
  }
  return true;
}

}  // namespace cogi
