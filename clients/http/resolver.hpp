#pragma once
// Host names to addresses without blocking a loop: getaddrinfo runs on the blocking pool
// (server/async/run_blocking.hpp) and the loop goes on serving meanwhile. An IP address
// needs no lookup. Throws dns_error when the name does not resolve; the caller's
// cancellation (a deadline) ends the wait at once.

#include <cstdint>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

namespace cogi::fetch {

asio::awaitable<std::vector<asio::ip::tcp::endpoint>> resolve(std::string host, std::uint16_t port);

}  // namespace cogi::fetch
