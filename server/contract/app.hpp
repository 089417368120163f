#pragma once
// The contract between the server and an application, cogi's ASGI:
//
//   asio::awaitable<void> app(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send);
//
// The app never sees a socket. The real server (server/runtime) and the in-process test
// client are two implementations of the server side; any app or middleware written
// against these types runs unchanged on both.

#include <functional>

#include <asio/awaitable.hpp>

#include "cogi/server/contract/errors.hpp"
#include "cogi/server/contract/events.hpp"
#include "cogi/server/contract/function_ref.hpp"
#include "cogi/server/contract/scope.hpp"

namespace cogi {

// `co_await receive()`: the next body piece, or a disconnect / lifespan event.
using receive_fn = function_ref<asio::awaitable<receive_event>()>;
// `co_await send(event)`: start the response, send body, or answer a lifespan event.
using send_fn = function_ref<asio::awaitable<void>(const send_event&)>;
// An application or middleware. Called once per request and once per loop for lifespan.
using app_fn = std::function<asio::awaitable<void>(scope&, receive_fn, send_fn)>;

}  // namespace cogi
