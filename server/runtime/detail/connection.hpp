#pragma once
// The state of one HTTP/1.1 connection and the coroutines that serve it (see
// server/runtime/connection.hpp for the entry point). Implemented in three files:
//   connection.cpp           the request loop: read a head, run the app, keep alive
//   connection_exchange.cpp  receive() and send(): the contract's server side
//   connection_io.cpp        socket reads and writes, timeouts, closing

#include <array>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <utility>
#include <vector>
#include <optional>
#include <string>
#include <tuple>

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/server/async/event.hpp"

#include "cogi/server/contract/app.hpp"
#include "cogi/server/http/exchange.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/runtime/coarse_clock.hpp"
#include "cogi/server/runtime/connection.hpp"
#include "cogi/server/runtime/connection_list.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/read_buffer.hpp"
#include "cogi/server/runtime/websocket_connection.hpp"

namespace cogi::runtime::detail {

// Deadlines are read on every request: the cheap clock (see coarse_clock.hpp).
using clock = coarse_clock;
// Send completes once its bytes are written or buffered below this (docs/contract.md).
inline constexpr std::size_t high_water_mark = 64 * 1024;
// After an error response, keep reading (and discarding) for a moment before closing,
// so that the client reads the response instead of a reset (nginx's lingering close).
inline constexpr auto linger_time = std::chrono::seconds(2);
inline constexpr std::size_t max_linger_bytes = 1024 * 1024;
// Timeouts are checked at least this often; a deadline can fire this much late.
inline constexpr auto watchdog_period = std::chrono::milliseconds(250);
// A connection idle this long gives its read buffer back to the loop's pool.
inline constexpr auto park_delay = std::chrono::seconds(1);

class connection final : public tracked_connection {
 public:
  connection(stream_socket socket, address client, address local, event_loop& loop, connection_history history)
      : socket_(std::move(socket)),
        loop_(loop),
        limits_(loop.config().limits),
        client_(std::move(client)),
        local_(std::move(local)),
        site_{&limits_, loop.config().root_path, &client_, &local_, &loop.state()},
        in_(loop.buffers()),
        scanner_(limits_),
        parser_(limits_),
        watchdog_timer_(socket_.get_executor()),
        requests_(history.requests) {
    // The client is the same for every request on the connection: trust is decided once.
    const auto* proxies = loop.trusted_proxies();
    from_trusted_proxy_ = proxies != nullptr && proxies->contains(client_.host);
    asio::error_code ignored;
    // Non-blocking mode lets writes be tried synchronously first (no suspension when the
    // kernel takes the whole response, which is nearly always).
    socket_.non_blocking(true, ignored);
    deadline_ = clock::now() + limits_.header_timeout;
    idle_since_ = clock::now();
    head_.headers.reserve(32);
    loop_.connections().add(*this);
  }

  ~connection() { loop_.connections().remove(*this); }

  // Serves until the connection closes or parks: the request loop beside its watchdog.
  asio::awaitable<void> serve();

  // After serve(): whether the connection idled into parking, and what the parking lot
  // takes over (server/runtime/parking_lot.hpp).
  bool parked() const { return parked_; }
  // After serve(): whether the connection switched to WebSocket, and what
  // serve_websocket() takes over (with release_socket()).
  bool upgrading() const { return upgrade_.has_value() && !closed_; }
  websocket_upgrade take_upgrade() { return std::move(*upgrade_); }
  stream_socket release_socket() { return std::move(socket_); }
  connection_history history() const { return {requests_}; }
  clock::time_point idle_since() const { return idle_since_; }

  void drain() override {
    // An idle connection is closed at once; a busy one after its current response. A
    // response that is streaming is told to end: its app's receive() yields
    // http_disconnect (as uvicorn does), so long-lived streams do not hold the drain.
    if (phase_ == phase::idle) {
      close();
    } else if (phase_ == phase::in_app && exchange_over()) {
      end_exchange_waits();
    }
  }

  void abort() override {
    if (!closed_) loop_.counters().connections_aborted.add();
    close();
  }

 private:
  enum class phase { idle, reading_head, in_app, closing };
  enum class head_outcome { complete, rejected, closed, parked };

  asio::awaitable<void> run();
  // Beside run(): the connection's background jobs, on one timer (see the .cpp).
  asio::awaitable<void> watchdog();
  // Watchdog job 1: writes what flush_in_background() asked for, without suspending.
  void run_background_flush();
  // Watchdog job 3: a connection idle for park_delay has its read cancelled, to park.
  void park_if_idle(clock::time_point now);
  asio::awaitable<head_outcome> read_head();
  asio::awaitable<bool> serve_request();
  asio::awaitable<void> begin_websocket(const char* head, std::size_t head_size);
  // Once a request's answer is decided (once per request): its request metrics and
  // access-log line.
  void note_served();
  void log_app_failure(std::string_view what) const;
  asio::awaitable<receive_event> receive();
  asio::awaitable<void> send(const send_event& event);
  // For the access log: the response headers its format names (%{Name}o).
  void keep_logged_headers(const response_start& start);
  // receive() after the body: waits until exchange_over() (cancellable: a cancelled
  // caller sees the cancellation, not a disconnect).
  asio::awaitable<void> wait_for_disconnect();
  // Whether a receive() after the body yields http_disconnect now: the response is
  // complete, the client has gone, the connection closed, or the server is draining
  // and the response has started (a stream to be ended).
  bool exchange_over() const;
  // Wakes the receive() calls waiting in wait_for_disconnect() and stops the reader.
  void end_exchange_waits();
  // While someone waits for the disconnect: reads the socket (keeping pipelined bytes)
  // to notice the client leaving. One at a time; stopped through disconnect_reader_stop_.
  asio::awaitable<void> read_until_disconnect();
  // Asks the reader to end (at once if it is suspended in its read).
  void stop_disconnect_reading();
  // After the app: makes sure the reader has ended before the socket is read again.
  asio::awaitable<void> stop_disconnect_reader();
  // Reads and drops what the app left of the body (see exchange::drain_unread_body())
  // so that the connection can be reused; false when it cannot be.
  asio::awaitable<bool> drain_unread_body();
  // After the app: what the exchange concluded, carried out. Returns whether the
  // connection may serve another request.
  asio::awaitable<bool> finish_request();
  // Reads more request body bytes under the body timeout; 0 when the client is gone.
  asio::awaitable<std::size_t> read_body_bytes();
  // Starts a read into in_ (room for at least min_free bytes, keeping what lies before
  // keep_until); co_await it and pass the result to committed(): bytes read, 0 on error.
  using read_result = std::tuple<asio::error_code, std::size_t>;
  asio::awaitable<read_result> read_some(std::size_t min_free, std::size_t keep_until);
  std::size_t committed(const read_result& result);
  // Writes everything or fails (client gone, or stalled past the body timeout).
  asio::awaitable<bool> write(std::string_view first, std::string_view second = {}, std::string_view third = {});
  // Writes what the kernel takes now, without suspending; leaves the rest in `buffers`:
  // one asio::const_buffer (a plain send(), the common case) or a gather_buffers.
  template <class Buffers>
  bool write_now(Buffers& buffers);
  using gather_buffers = std::array<asio::const_buffer, 3>;
  asio::awaitable<bool> write_rest(gather_buffers buffers);
  // Writes out_ without suspending as far as the kernel takes it; true when all is out
  // (or there was nothing). Otherwise co_await flush() for the rest.
  bool try_flush();
  asio::awaitable<bool> flush();
  // Asks the watchdog to try_flush() once this loop turns to other work: responses
  // buffered while pipelined requests were served synchronously go out together, and
  // none waits for a slow app that runs after it.
  void flush_in_background();
  asio::awaitable<void> reject(const http::rejection& rejection);
  // Sends what is pending, ends our side, and (with `linger`) reads and drops what the
  // client still sends for a moment before closing.
  asio::awaitable<void> close_gracefully(bool linger);
  void on_timeout();
  // A read or write found the client gone.
  void client_left();
  void close();

  stream_socket socket_;
  event_loop& loop_;
  const http::limits& limits_;
  address client_;
  address local_;
  const http::exchange_site site_;  // what each request's scope says of this connection

  read_buffer in_;
  std::size_t body_start_ = 0;  // in_ offset where this request's body begins
  http::head_scanner scanner_;
  http::request_parser parser_;
  http::request_head head_;
  http::exchange exchange_;  // the request being served: the contract's rules
  // What the runner keeps of the request being served (note_served()).
  struct request_record {
    std::chrono::steady_clock::time_point began;
    std::time_t received = 0;         // only with the access log on
    bool runner_endpoint = false;     // /healthz and the like: not the app's request
    std::vector<std::pair<std::string, std::string>> response_headers;  // those the log names
  } record_;
  bool from_trusted_proxy_ = false;
  address forwarded_client_;  // the client a trusted proxy named (X-Forwarded-For)
  std::string out_;  // response bytes not yet written; capacity reused

  phase phase_ = phase::idle;
  clock::time_point deadline_;
  clock::time_point idle_since_;
  asio::steady_timer watchdog_timer_;
  async::event exchange_over_;  // set by end_exchange_waits(); cleared per request
  asio::cancellation_signal disconnect_reader_stop_;
  bool disconnect_reader_running_ = false;
  bool disconnect_reader_stopping_ = false;
  async::event disconnect_reader_done_;
  bool flush_requested_ = false;  // see flush_in_background()
  bool writing_ = false;          // an asynchronous write of out_ is under way
  bool park_requested_ = false;   // the watchdog cancelled an idle read to park
  bool parked_ = false;           // serve() ended to park the connection
  std::optional<websocket_upgrade> upgrade_;  // set when the request asked for a WebSocket
  std::uint64_t requests_ = 0;
  bool closed_ = false;
  bool disconnected_ = false;
};

}  // namespace cogi::runtime::detail
