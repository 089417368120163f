#pragma once
// Serves one HTTP/1.1 connection on its loop until it closes: reads and validates each
// request head, runs the app for it through the contract (receive/send), frames the
// response, and loops for keep-alive and pipelined requests (responses strictly in
// order). Timeouts (header, body, keep-alive) are enforced by a watchdog coroutine
// beside the reader, as in Asio's cpp20 timeout example; the same coroutine writes
// pipelined responses while a slow app runs and parks idle connections.

#include <cstdint>

#include <asio/awaitable.hpp>
#include <asio/generic/stream_protocol.hpp>

namespace cogi::runtime {

class event_loop;

// TCP and Unix-domain connections share one implementation through Asio's generic
// stream socket.
using stream_socket = asio::generic::stream_protocol::socket;

// What a connection carries across a park (server/runtime/parking_lot.hpp).
struct connection_history {
  std::uint64_t requests = 0;  // served so far (for --limit-requests-per-connection)
};

// Owns the socket; borrows the loop, which outlives its connections. Runs on that loop.
// A connection that idles past park_delay hands its socket to the loop's parking lot
// and ends; the lot serves it again from here, with its history, when the client sends.
asio::awaitable<void> serve_connection(stream_socket socket, event_loop& loop, connection_history history = {});

}  // namespace cogi::runtime
