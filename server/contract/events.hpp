#pragma once
// The events an app exchanges with the server: receive() yields a receive_event,
// send() takes a send_event. Modelled on ASGI's http.* and lifespan.* messages.

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
};

// `body` is a view into the server's buffer, valid until the next receive() call.
struct receive_event {
  receive_type type = receive_type::http_request;
  std::string_view body;
  bool more_body = false;
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
                                lifespan_shutdown_failed>;

static_assert(std::is_trivially_destructible_v<send_event>);
static_assert(std::is_trivially_destructible_v<receive_event>);

}  // namespace cogi
