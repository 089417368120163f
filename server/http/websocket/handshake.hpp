#pragma once
// The opening handshake of RFC 6455 §4.2, on the server's side and without a socket:
// whether a request asks for a WebSocket, whether it asks properly, and the key the
// 101 answer proves it read the request with.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cogi/server/http/rejection.hpp"
#include "cogi/server/http/request_head.hpp"

namespace cogi::http::websocket {

// Whether the request asks to switch to WebSocket: its Upgrade header names the
// "websocket" token (RFC 6455 §4.2.1 item 3). Such a request is a WebSocket handshake,
// valid or not; any other request is plain HTTP.
bool asks_for_websocket(const request_head& head);

// What a valid handshake carries for the rest of the connection.
struct handshake_request {
  std::string_view key;                       // Sec-WebSocket-Key, as sent
  std::vector<std::string_view> subprotocols; // Sec-WebSocket-Protocol tokens, in order
  std::vector<std::string_view> extensions;   // Sec-WebSocket-Extensions field values
};

// Checks a request for which asks_for_websocket() holds against §4.2.1: GET, HTTP/1.1
// (or later), Connection naming "upgrade", a Sec-WebSocket-Key that is 16 bytes in
// base64, no request body, and version 13. The answer to a broken handshake is a 400
// with the reason, or a 426 naming the version we speak (§4.4); views in `out` point
// into `head`.
std::optional<rejection> check_handshake(const request_head& head, handshake_request& out);

// Sec-WebSocket-Accept for a key: base64(SHA-1(key + the RFC's GUID)), §4.2.2 item 5.4.
std::string accept_key(std::string_view key);

}  // namespace cogi::http::websocket
