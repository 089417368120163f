#pragma once
// Listening sockets and the acceptor coroutine: one per listening socket, handing each
// accepted connection to one of its target loops (round robin), where it stays.

#include <memory>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/basic_socket_acceptor.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <asio/ip/tcp.hpp>

namespace cogi::runtime {

class event_loop;

// TCP and Unix listeners share one acceptor type (and one accept loop).
using stream_acceptor = asio::basic_socket_acceptor<asio::generic::stream_protocol>;

// Binds and listens on host:port with SO_REUSEADDR (and SO_REUSEPORT if asked).
// Throws std::system_error naming the address on failure.
stream_acceptor listen_tcp(asio::io_context& context, const asio::ip::tcp::endpoint& endpoint, int backlog,
                           bool reuse_port);
// Binds and listens on a Unix socket path, replacing a stale socket file.
stream_acceptor listen_unix(asio::io_context& context, const std::string& path, int backlog);

// Accepts until the acceptor is closed. The acceptor and the loops outlive it.
asio::awaitable<void> accept_connections(stream_acceptor& acceptor, std::vector<event_loop*> targets);

}  // namespace cogi::runtime
