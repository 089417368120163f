#include "cogi/server/runtime/healthcheck.hpp"

#include <cstdio>
#include <string>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

namespace cogi::runtime {
namespace {

// Sends the request on `socket` and reads the status line, all within the io_context's
// run_for() deadline. Returns the status, or 0.
template <class Socket>
int exchange(asio::io_context& io, Socket& socket, const std::string& request, std::chrono::milliseconds timeout) {
  std::string response;
  int status = 0;
  asio::async_write(socket, asio::buffer(request), [&](const asio::error_code& ec, std::size_t) {
    if (ec) return;
    asio::async_read(socket, asio::dynamic_buffer(response), [&](const asio::error_code&, std::size_t) {
      // The answer is complete when the server closes (connection: close was asked for).
      int parsed = 0;
      if (std::sscanf(response.c_str(), "HTTP/1.%*d %d", &parsed) == 1) status = parsed;
    });
  });
  io.run_for(timeout);
  return status;
}

}  // namespace

int check_health(const server_config& config, std::chrono::milliseconds timeout) {
  if (config.health_path.empty()) {
    std::fputs("--healthcheck: the health endpoint is off (--health-path)\n", stderr);
    return 1;
  }
  const std::string request = "GET " + config.health_path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  asio::io_context io;
  int status = 0;
  try {
    const auto endpoints = config.tcp_endpoints();
    if (!endpoints.empty()) {
      std::string host = endpoints.front().host;
      if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
      if (host == "::") host = "::1";
      asio::ip::tcp::resolver resolver(io);
      const auto addresses = resolver.resolve(host, std::to_string(endpoints.front().port));
      asio::ip::tcp::socket socket(io);
      asio::connect(socket, addresses);
      status = exchange(io, socket, request, timeout);
    } else if (!config.uds.empty()) {
      asio::local::stream_protocol::socket socket(io);
      socket.connect(asio::local::stream_protocol::endpoint(config.uds));
      status = exchange(io, socket, request, timeout);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "--healthcheck: %s\n", error.what());
    return 1;
  }
  if (status != 200) {
    std::fprintf(stderr, "--healthcheck: %s answered %d\n", config.health_path.c_str(), status);
    return 1;
  }
  return 0;
}

}  // namespace cogi::runtime
