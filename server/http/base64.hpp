#pragma once
// Base64 (RFC 4648 §4, the standard alphabet with '=' padding): the WebSocket handshake's
// keys (RFC 6455 §4.2.2), and later Basic credentials.

#include <optional>
#include <string>
#include <string_view>

namespace cogi::http {

std::string base64_encode(std::string_view bytes);

// The bytes `text` encodes, or nullopt unless it is canonical base64: only the
// alphabet, padded to a multiple of four, and no bits set in the padding (so that each
// value has one spelling).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace cogi::http
