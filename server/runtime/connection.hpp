#pragma once
// Serves one HTTP/1.1 connection on its loop until it closes: reads and validates each
// request head, runs the app for it through the contract (receive/send), frames the
// response, and loops for keep-alive and pipelined requests (responses strictly in
// order). Timeouts (header, body, keep-alive) are enforced by a watchdog coroutine
// beside the reader, as in Asio's cpp20 timeout example.

#include <asio/awaitable.hpp>
#include <asio/generic/stream_protocol.hpp>


namespace cogi::runtime {

class event_loop;

// TCP and Unix-domain connections share one implementation through Asio's generic
// stream socket.
using stream_socket = asio::generic::stream_protocol::socket;

// Owns the socket; borrows the loop, which outlives its connections. Runs on that loop.
asio::awaitable<void> serve_connection(stream_socket socket, event_loop& loop);

}  // namespace cogi::runtime
