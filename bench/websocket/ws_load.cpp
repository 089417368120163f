// The WebSocket load generator of bench/websocket.sh: many client connections on one
// thread (Asio coroutines), speaking frames with cogi's own frame writer and reader in
// client mode. Three modes, each printing one JSON line:
//
//   ws_load echo   PORT CONNECTIONS SECONDS SIZE    each connection sends a SIZE-byte text
//                  message to /ws/echo and waits for it to come back, over and over:
//                  {"round_trips": N, "seconds": S, "p50_us": .., "p99_us": ..}
//   ws_load fanout PORT RECEIVERS SECONDS           RECEIVERS connections listen on
//                  /ws/fanout; one more sends there, and once every receiver has the
//                  message sends the next: {"broadcasts": N, "deliveries": D, "seconds": S}
//   ws_load idle   PORT CONNECTIONS [MESSAGES]      opens CONNECTIONS WebSockets to
//                  /ws/echo, each echoing MESSAGES 64-byte messages first (default
//                  none), prints {"open": N}, keeps them until stdin closes
//
// Only loopback is ever targeted.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "cogi/server/http/websocket/frame.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"

namespace ws = cogi::http::websocket;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct connection {
  tcp::socket socket;
  std::string in;
  ws::message_reader reader{{.frames_masked = false}};
  explicit connection(asio::io_context& io) : socket(io) {}
};

asio::awaitable<void> open(connection& c, unsigned short port, const std::string& path) {
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  co_await c.socket.async_connect(server, asio::use_awaitable);
  c.socket.set_option(tcp::no_delay(true));
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n\r\n";
  co_await asio::async_write(c.socket, asio::buffer(request), asio::use_awaitable);
  const std::size_t head = co_await asio::async_read_until(c.socket, asio::dynamic_buffer(c.in), "\r\n\r\n",
                                                           asio::use_awaitable);
  if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) throw std::runtime_error("handshake refused: " + c.in.substr(0, 40));
  c.in.erase(0, head);
}

std::string masked_text(std::string_view payload) {
  static constexpr ws::masking_key key{1, 2, 3, 4};
  char header[ws::max_frame_header];
  std::string frame(header, ws::write_frame_header({.op = ws::opcode::text, .length = payload.size(), .mask = key}, header));
  const std::size_t at = frame.size();
  frame.append(payload);
  ws::apply_mask(frame.data() + at, payload.size(), key);
  return frame;
}

// The next message's payload (pings and pongs skipped).
asio::awaitable<std::string> next_message(connection& c) {
  for (;;) {
    const auto step = c.reader.next(c.in);
    if (step.what == ws::message_reader::yield::message) {
      std::string payload(step.payload);
      c.in.erase(0, step.consumed);
      co_return payload;
    }
    c.in.erase(0, step.consumed);
    if (step.what == ws::message_reader::yield::close || step.what == ws::message_reader::yield::fail)
      throw std::runtime_error("the server closed");
    if (step.what != ws::message_reader::yield::need_more) continue;
    char chunk[16384];
    const std::size_t n = co_await c.socket.async_read_some(asio::buffer(chunk), asio::use_awaitable);
    c.in.append(chunk, n);
  }
}

// ---- echo ---------------------------------------------------------------------------

struct echo_totals {
  std::uint64_t round_trips = 0;
  std::vector<std::uint32_t> latencies_us;  // a sample: every 16th
  int failures = 0;
};

asio::awaitable<void> echo_loop(asio::io_context& io, unsigned short port, std::size_t size, clock_type::time_point end,
                                echo_totals& totals) {
  connection c(io);
  try {
    co_await open(c, port, "/ws/echo");
    const std::string frame = masked_text(std::string(size, 'x'));
    while (clock_type::now() < end) {
      const auto sent = clock_type::now();
      co_await asio::async_write(c.socket, asio::buffer(frame), asio::use_awaitable);
      const std::string reply = co_await next_message(c);
      if (reply.size() != size) throw std::runtime_error("short echo");
      if (++totals.round_trips % 16 == 0)
        totals.latencies_us.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - sent).count()));
    }
  } catch (const std::exception& error) {
    if (++totals.failures == 1) std::cerr << "echo connection: " << error.what() << "\n";
  }
}

std::uint32_t percentile(std::vector<std::uint32_t>& values, double p) {
  if (values.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
  return values[at];
}

int run_echo(unsigned short port, int connections, double seconds, std::size_t size) {
  asio::io_context io(1);
  echo_totals totals;
  const auto start = clock_type::now();
  const auto end = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
  for (int i = 0; i < connections; ++i) asio::co_spawn(io, echo_loop(io, port, size, end, totals), asio::detached);
  io.run();
  const double took = std::chrono::duration<double>(clock_type::now() - start).count();
  std::printf("{\"round_trips\": %llu, \"seconds\": %.3f, \"p50_us\": %u, \"p99_us\": %u, \"failures\": %d}\n",
              static_cast<unsigned long long>(totals.round_trips), took, percentile(totals.latencies_us, 0.5),
              percentile(totals.latencies_us, 0.99), totals.failures);
  return totals.failures == 0 ? 0 : 1;
}

// ---- fan-out ------------------------------------------------------------------------

struct fanout_state {
  int receivers = 0;
  int ready = 0;
  std::uint64_t broadcasts = 0;
  std::uint64_t deliveries = 0;
  int pending = 0;  // receivers that have not yet got the current broadcast
  bool done = false;
  int failures = 0;
  asio::steady_timer* round_over = nullptr;  // cancelled when a round completes
  asio::steady_timer* all_ready = nullptr;
};

asio::awaitable<void> receive_loop(asio::io_context& io, unsigned short port, fanout_state& state) {
  connection c(io);
  try {
    co_await open(c, port, "/ws/fanout");
    if (++state.ready == state.receivers) state.all_ready->cancel();
    for (;;) {
      co_await next_message(c);
      ++state.deliveries;
      if (--state.pending == 0) state.round_over->cancel();
      if (state.done) break;
    }
  } catch (const std::exception& error) {
    if (!state.done && ++state.failures == 1) std::cerr << "receiver: " << error.what() << "\n";
  }
}

asio::awaitable<void> send_loop(asio::io_context& io, unsigned short port, double seconds, fanout_state& state,
                                double& took) {
  connection c(io);
  co_await open(c, port, "/ws/fanout?send=1");
  if (state.ready < state.receivers)
    co_await state.all_ready->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  const std::string frame = masked_text("broadcast message: 32 bytes long");
  const auto start = clock_type::now();
  const auto end = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
  while (clock_type::now() < end && state.failures == 0) {
    state.pending = state.receivers;
    state.round_over->expires_at(clock_type::time_point::max());
    co_await asio::async_write(c.socket, asio::buffer(frame), asio::use_awaitable);
    // The receivers may all have it already (a cancel before the wait does nothing).
    if (state.pending > 0) co_await state.round_over->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    ++state.broadcasts;
  }
  took = std::chrono::duration<double>(clock_type::now() - start).count();
  state.done = true;
  io.stop();
}

int run_fanout(unsigned short port, int receivers, double seconds) {
  asio::io_context io(1);
  asio::steady_timer round_over(io), all_ready(io);
  all_ready.expires_at(clock_type::time_point::max());
  fanout_state state;
  state.receivers = receivers;
  state.round_over = &round_over;
  state.all_ready = &all_ready;
  double took = 0;
  for (int i = 0; i < receivers; ++i) asio::co_spawn(io, receive_loop(io, port, state), asio::detached);
  asio::co_spawn(io, send_loop(io, port, seconds, state, took), asio::detached);
  io.run();
  std::printf("{\"broadcasts\": %llu, \"deliveries\": %llu, \"seconds\": %.3f, \"failures\": %d}\n",
              static_cast<unsigned long long>(state.broadcasts), static_cast<unsigned long long>(state.deliveries),
              took, state.failures);
  return state.failures == 0 ? 0 : 1;
}

// ---- idle ---------------------------------------------------------------------------

asio::awaitable<void> open_idle(asio::io_context& io, unsigned short port, int messages,
                                std::vector<std::unique_ptr<connection>>& held, int& failures) {
  auto c = std::make_unique<connection>(io);
  try {
    co_await open(*c, port, "/ws/echo");
    const std::string frame = masked_text(std::string(64, 'x'));
    for (int i = 0; i < messages; ++i) {
      co_await asio::async_write(c->socket, asio::buffer(frame), asio::use_awaitable);
      co_await next_message(*c);
    }
    held.push_back(std::move(c));
  } catch (const std::exception& error) {
    if (++failures == 1) std::cerr << "idle connection: " << error.what() << "\n";
  }
}

int run_idle(unsigned short port, int connections, int messages) {
  asio::io_context io(1);
  std::vector<std::unique_ptr<connection>> held;
  int failures = 0;
  // At most 200 handshakes at a time: the server's backlog, not a burst, decides.
  for (int opened = 0; opened < connections;) {
    const int batch = std::min(200, connections - opened);
    for (int i = 0; i < batch; ++i) asio::co_spawn(io, open_idle(io, port, messages, held, failures), asio::detached);
    io.restart();
    io.run();
    opened += batch;
  }
  std::printf("{\"open\": %zu, \"failures\": %d}\n", held.size(), failures);
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 5 && args[0] == "echo")
      return run_echo(static_cast<unsigned short>(std::stoi(args[1])), std::stoi(args[2]), std::stod(args[3]),
                      std::stoul(args[4]));
    if (args.size() == 4 && args[0] == "fanout")
      return run_fanout(static_cast<unsigned short>(std::stoi(args[1])), std::stoi(args[2]), std::stod(args[3]));
    if ((args.size() == 3 || args.size() == 4) && args[0] == "idle")
      return run_idle(static_cast<unsigned short>(std::stoi(args[1])), std::stoi(args[2]),
                      args.size() == 4 ? std::stoi(args[3]) : 0);
  } catch (const std::exception& error) {
    std::cerr << "ws_load: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: ws_load echo PORT CONNECTIONS SECONDS SIZE | fanout PORT RECEIVERS SECONDS | idle PORT N [MESSAGES]\n";
  return 2;
}
