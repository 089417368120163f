#pragma once
// Why a request is refused before it reaches the app: the status to answer with and a
// short text for the body. Every rejection closes the connection afterwards, because
// the framing of whatever follows is in doubt.

#include <span>
#include <string_view>

#include "cogi/server/contract/scope.hpp"

namespace cogi::http {

inline constexpr std::size_t max_rejection_headers = 3;

struct rejection {
  int status = 400;
  std::string_view reason;  // static text, e.g. "Invalid header field name"
  // Static header fields the answer must carry besides its own (426's
  // Sec-WebSocket-Version); at most max_rejection_headers.
  std::span<const header_field> headers = {};
};

}  // namespace cogi::http
