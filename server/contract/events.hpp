#pragma once
// The events an app exchanges with the server: receive() yields a receive_event,
// send() takes a send_event. Modelled on ASGI's http.*, websocket.* and lifespan.*
// messages (asgiref specs/www.rst; docs/contract.md).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <variant>

#include "cogi/server/contract/scope.hpp"

namespace cogi {

enum class receive_type {
  http_request,       // a piece of the request body: body, more_body
  http_disconnect,    // the response is complete or the client has gone
  lifespan_startup,   // lifespan scope: run startup, then send startup_complete/failed
  lifespan_shutdown,  // lifespan scope: run shutdown, then send shutdown_complete/failed
  // websocket scope: the client asks to connect. Answer with websocket_accept, or refuse
  // with websocket_close (a 403) or a response_start and its body (any answer).
  websocket_connect,
  websocket_receive,     // one whole message: body, and text (a text message) or not (bytes)
  websocket_disconnect,  // the connection is closed: code (and reason) say how
};

// `body` (and `reason`) are views into the server's memory, valid until the next
// receive() call.
struct receive_event {
  receive_type type = receive_type::http_request;
  std::string_view body;   // http_request: a piece of the body; websocket_receive: the message
  bool more_body = false;  // http_request
  bool text = false;       // websocket_receive: a text message (valid UTF-8), else bytes
  // websocket_disconnect: the peer's close code; 1005 when its close frame had none,
  // 1006 when the connection ended without a close frame. Our own code when the server
  // closed (1001 for a shutdown, 1009 for a message over the limit, ...).
  std::uint16_t code = 0;
  std::string_view reason;  // websocket_disconnect: the close frame's reason, if any
};

// http.response.start. Headers are copied by the server before send() returns. When
// there is no content-length header and the body comes in more than one event, the
// server frames the response with chunked transfer encoding.
struct response_start {
  int status = 200;
  std::span<const header_field> headers;
};

// http.response.body. send() returns once the bytes are written or buffered below the
// connection's high-water mark, so `body` only needs to live until then.
struct response_body {
  std::string_view body;
  bool more_body = false;
};

// websocket.accept: completes the handshake (101 Switching Protocols). `subprotocol`:
// one of scope.subprotocols, or empty for none. `headers`: more response headers (the
// handshake's own are the server's). Copied before send() returns.
struct websocket_accept {
  std::string_view subprotocol;
  std::span<const header_field> headers;
};

// websocket.send: one message, exactly one of text (valid UTF-8) and bytes. send()
// returns once the message is written or queued below the connection's limit (it waits
// while the client reads slowly), so the view only needs to live until then.
struct websocket_send {
  std::optional<std::string_view> text;
  std::optional<std::string_view> bytes;
};

// websocket.close: before accept, refuses the handshake with a 403; after, closes the
// connection with this code (1000, 1001, 1003, 1007-1014 or 3000-4999) and reason (up
// to 123 bytes of UTF-8; longer ones are cut).
struct websocket_close {
  std::uint16_t code = 1000;
  std::string_view reason;
};

// Every event is trivially destructible on purpose: GCC 12 destroys non-trivial
// temporaries in a co_await expression twice, and `co_await send(event{...})` is the
// natural way to write a send. Messages are copied by the server before send() returns.
struct lifespan_startup_complete {};
struct lifespan_startup_failed {
  std::string_view message;
};
struct lifespan_shutdown_complete {};
struct lifespan_shutdown_failed {
  std::string_view message;
};

using send_event = std::variant<response_start, response_body, lifespan_startup_complete,
                                lifespan_startup_failed, lifespan_shutdown_complete,
                                lifespan_shutdown_failed, websocket_accept, websocket_send,
                                websocket_close>;

static_assert(std::is_trivially_destructible_v<send_event>);
static_assert(std::is_trivially_destructible_v<receive_event>);

}  // namespace cogi
