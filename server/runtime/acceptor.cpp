#include "cogi/server/runtime/acceptor.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "cogi/server/runtime/as_result.hpp"
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "cogi/server/runtime/connection.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/contract/log.hpp"

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

namespace {

// An accepted descriptor on its way to its loop: closed if it never gets there (the
// loop stopped first).
struct accepted_fd {
  int fd;
  explicit accepted_fd(int f) : fd(f) {}
  accepted_fd(accepted_fd&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  accepted_fd& operator=(accepted_fd&&) = delete;
  ~accepted_fd() {
    if (fd >= 0) ::close(fd);
  }
};

// On the target loop's own thread: every loop's reactor is only ever touched by its
// thread (the loops run with ASIO_CONCURRENCY_HINT_UNSAFE_IO, so it takes no
// per-socket lock; registering a socket from the acceptor's thread raced with it).
void adopt(event_loop& loop, const asio::generic::stream_protocol& protocol, accepted_fd accepted) {
  stream_socket socket(loop.context());
  asio::error_code ec;
  socket.assign(protocol, accepted.fd, ec);
  if (ec) return;  // accepted_fd closes it
  accepted.fd = -1;  // the socket owns it now
  loop.counters().connections_accepted.add();
  asio::co_spawn(loop.context(), serve_connection(std::move(socket), loop), asio::detached);
}

// Connections taken per readiness before yielding to the rest of the acceptor's loop.
constexpr int accept_batch = 64;

}  // namespace

asio::awaitable<void> accept_connections(stream_acceptor& acceptor, std::vector<event_loop*> targets) {
  std::size_t next = 0;
  const auto protocol = acceptor.local_endpoint().protocol();
  // Out of descriptors (or memory), accept fails until some close: one line when it
  // starts and one when it ends, however long the burst, and a pause between tries
  // rather than a busy loop. The pending connections wait in the listen backlog.
  std::uint64_t failed_in_burst = 0;
  for (;;) {
    auto [wait_error] = co_await acceptor.async_wait(stream_acceptor::wait_read, as_result);
    if (wait_error || !acceptor.is_open()) co_return;  // closed: shutting down
    for (int taken = 0; taken < accept_batch; ++taken) {
      const int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (failed_in_burst++ == 0)
          log::warning(std::string("accept failed: ") + std::strerror(errno) + "; retrying every 50 ms until it succeeds");
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(as_result);
        break;
      }
      if (failed_in_burst > 0) {
        log::warning("accepting again, after " + std::to_string(failed_in_burst) + " failed attempts");
        failed_in_burst = 0;
      }
      event_loop& target = *targets[next];
      next = (next + 1) % targets.size();
      asio::post(target.context(), [&target, protocol, accepted = accepted_fd(fd)]() mutable {
        adopt(target, protocol, std::move(accepted));
      });
    }
  }
}

}  // namespace cogi::runtime
