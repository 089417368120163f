#pragma once
// A connection that switched to WebSocket. The HTTP connection (connection.hpp) reads
// the handshake request, checks it, and hands the socket over with a copy of the head
// (its own buffers go back to the loop); from then on this serves the websocket scope
// (server/http/websocket/session.hpp) until the connection closes: the app's
// receive()/send(), a reader, a writer, and one timer for the handshake, ping, close
// and idle timeouts.

#include <string>

#include <asio/awaitable.hpp>

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

asio::awaitable<void> serve_websocket(stream_socket socket, event_loop& loop, websocket_upgrade upgrade);

}  // namespace cogi::runtime
