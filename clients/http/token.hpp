#pragma once
// RFC 9110 section 5.6.2's token: what a method and a header field name are made of.
// The request writer checks what it sends with it, the response parser what it reads.

#include <string_view>

namespace cogi::fetch {

constexpr bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

constexpr bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

}  // namespace cogi::fetch
