#pragma once
// A connection that switched to WebSocket. The HTTP connection (connection.hpp) reads
// the handshake request, checks it, and hands the socket over with a copy of the head
// (its own buffers go back to the loop); from then on this serves the websocket scope
// (server/http/websocket/session.hpp) until the connection closes: the app's
// receive()/send() in the app's coroutine, and the socket's reads and writes and one
// timer (handshake, ping, close and idle timeouts) in completion handlers, so that an
// idle WebSocket costs little more than the app's own frames (docs/websocket.md).

#include <string>

#include "cogi/server/contract/scope.hpp"
#include "cogi/server/runtime/connection.hpp"

namespace cogi::runtime {

class event_loop;

// What the HTTP connection hands over.
struct websocket_upgrade {
  std::string bytes;         // the request head, then any bytes the client sent after it
  std::size_t head_size = 0;  // where the head ends in `bytes`
  address client;
  address local;
  bool from_trusted_proxy = false;  // X-Forwarded-For/Proto are to be believed
};

// Starts serving on the socket's loop and returns; the connection lives until its app
// has returned and its socket is closed.
void serve_websocket(stream_socket socket, event_loop& loop, websocket_upgrade upgrade);

}  // namespace cogi::runtime
