#include "server/runtime/acceptor.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <system_error>

#include "server/runtime/as_result.hpp"
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "server/runtime/connection.hpp"
#include "server/runtime/event_loop.hpp"
#include "server/runtime/log.hpp"

namespace cogi::runtime {
namespace {


std::system_error bind_error(const std::error_code& ec, const std::string& where) {
  return std::system_error(ec, "error while attempting to bind on " + where);
}

}  // namespace

stream_acceptor listen_tcp(asio::io_context& context, const asio::ip::tcp::endpoint& endpoint, int backlog,
                           bool reuse_port) {
  // Set up on a private context: the socket is registered with the loop's reactor only
  // once, finished, below (the loop may already be running on another thread, and its
  // reactor takes no per-socket lock: ASIO_CONCURRENCY_HINT_UNSAFE_IO).
  asio::io_context setup(1);
  asio::ip::tcp::acceptor tcp(setup);
  const std::string where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  asio::error_code ec;
  tcp.open(endpoint.protocol(), ec);
  if (!ec) tcp.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && reuse_port) {
    const int one = 1;
    if (::setsockopt(tcp.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
      ec = asio::error_code(errno, asio::system_category());
  }
  if (!ec) tcp.bind(endpoint, ec);
  if (!ec) tcp.listen(backlog, ec);
  if (ec) throw bind_error(ec, where);
  const auto protocol = asio::generic::stream_protocol(endpoint.protocol().family(), IPPROTO_TCP);
  return stream_acceptor(context, protocol, tcp.release());
}

stream_acceptor listen_unix(asio::io_context& context, const std::string& path, int backlog) {
  // A socket file left by a previous run would make bind fail; only ever remove sockets.
  struct stat info{};
  if (::lstat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode)) ::unlink(path.c_str());
  asio::io_context setup(1);  // as in listen_tcp()
  asio::local::stream_protocol::acceptor local(setup);
  asio::error_code ec;
  local.open(asio::local::stream_protocol(), ec);
  if (!ec) local.bind(asio::local::stream_protocol::endpoint(path), ec);
  if (!ec) local.listen(backlog, ec);
  if (ec) throw bind_error(ec, "unix socket " + path);
  return stream_acceptor(context, asio::generic::stream_protocol(AF_UNIX, 0), local.release());
}

asio::awaitable<void> accept_connections(stream_acceptor& acceptor, std::vector<event_loop*> targets) {
  std::size_t next = 0;
  for (;;) {
    event_loop& target = *targets[next];
    next = (next + 1) % targets.size();
    // The socket is created on the target loop's io_context: it never moves again.
    auto [ec, socket] = co_await acceptor.async_accept(target.context(), as_result);
    if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or memory: back off instead of spinning; keep serving.
      log::warning("accept failed: " + ec.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(as_result);
      continue;
    }
    asio::co_spawn(target.context(), serve_connection(std::move(socket), target), asio::detached);
  }
}

}  // namespace cogi::runtime
