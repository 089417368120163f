#pragma once
// Reason phrases for status lines (RFC 9110 §15).

#include <string_view>

namespace cogi::http {

// The standard reason phrase, or "" for codes without one (still a valid status line).
std::string_view reason_phrase(int status);

// 1xx, 204 and 304 responses never carry a body (RFC 9110 §6.4.1).
constexpr bool status_forbids_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace cogi::http
