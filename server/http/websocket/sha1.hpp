#pragma once
// SHA-1 (RFC 3174), for the one use RFC 6455 makes of it: Sec-WebSocket-Accept. Not for
// anything that needs a secure hash; written here rather than taking OpenSSL in for
// twenty lines (OpenSSL comes with TLS).

#include <array>
#include <string_view>

namespace cogi::http::websocket {

using sha1_digest = std::array<unsigned char, 20>;

sha1_digest sha1(std::string_view bytes);

}  // namespace cogi::http::websocket
