#include "cogi/server/runtime/connection.hpp"

#include <exception>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/runtime/detail/connection.hpp"
#include "cogi/server/contract/log.hpp"
#include "cogi/server/runtime/socket_address.hpp"
#include "cogi/server/runtime/websocket_connection.hpp"
#include "cogi/server/http/websocket/handshake.hpp"

namespace cogi::runtime {
namespace detail {

using namespace asio::experimental::awaitable_operators;

asio::awaitable<void> connection::serve() {
  co_await (run() || watchdog());
  // run() may have been cancelled (the watchdog ended it) before it stopped the
  // disconnect reader itself: nothing that refers to this connection may outlive it.
  co_await stop_disconnect_reader();
}

// ---- request loop ---------------------------------------------------------------

asio::awaitable<void> connection::run() {
  while (!closed_) {
    const head_outcome outcome = co_await read_head();
    if (outcome == head_outcome::parked) co_return;  // serve_connection() parks the socket
    if (outcome == head_outcome::closed) break;
    if (outcome == head_outcome::rejected) {
      co_await reject(scanner_.error());
      co_return;
    }
    char* head = in_.data() + in_.begin() + scanner_.prefix_length();
    if (auto rejection = parser_.parse(head, scanner_.head_length(), head_)) {
      co_await reject(*rejection);
      co_return;
    }
    if (http::websocket::asks_for_websocket(head_)) {
      co_await begin_websocket(head, scanner_.head_length());
      co_return;  // handed over to serve_websocket(), or refused and closed
    }
    in_.consume(scanner_.prefix_length() + scanner_.head_length());
    body_start_ = in_.begin();
    if (!co_await serve_request()) break;
  }
  // Linger only if the client may still be sending what will go unread (a body the app
  // left, requests pipelined after "connection: close"): closing on unread bytes
  // would reset the connection and could destroy the response before it is read.
  co_await close_gracefully(in_.pending() > 0 || !exchange_.body_complete());
}

asio::awaitable<connection::head_outcome> connection::read_head() {
  scanner_.reset();
  for (;;) {
    if (in_.pending() > 0) {
      phase_ = phase::reading_head;
      const auto state = scanner_.scan(in_.data() + in_.begin(), in_.pending());
      if (state == http::head_scanner::state::complete) co_return head_outcome::complete;
      if (state == http::head_scanner::state::rejected) co_return head_outcome::rejected;
    }
    // Before waiting for the client, send what earlier (pipelined) responses left.
    if (!try_flush() && !co_await flush()) co_return head_outcome::closed;
    if (in_.pending() > 0) {
      if (committed(co_await read_some(2048, 0)) == 0) co_return head_outcome::closed;
      continue;
    }
    // Idle between requests. An active client is read directly (see read_some()); for a
    // connection idle for longer than park_delay the watchdog cancels this read, and
    // the connection parks: its coroutines end, its buffer goes back to the pool, and
    // only its socket waits, in the loop's parking lot, so idle keep-alive connections
    // cost about a kilobyte each (docs/performance.md).
    if (phase_ != phase::idle) {
      phase_ = phase::idle;
      idle_since_ = clock::now();
      if (requests_ > 0) deadline_ = idle_since_ + limits_.keep_alive_timeout;
    }
    if (loop_.draining() || closed_) co_return head_outcome::closed;
    if (committed(co_await read_some(2048, 0)) == 0) {
      if (closed_ || !park_requested_) co_return head_outcome::closed;
      parked_ = true;  // the watchdog cancelled the read to park the connection
      co_return head_outcome::parked;
    }
    park_requested_ = false;  // the request came before the watchdog's cancel took effect
    phase_ = phase::reading_head;
    deadline_ = clock::now() + limits_.header_timeout;  // the whole head from here
  }
}

// A request that asks for a WebSocket: a broken handshake is refused here (400, 426); a
// good one leaves this connection for serve_websocket() with a copy of the head and
// whatever the client sent after it.
asio::awaitable<void> connection::begin_websocket(const char* head, std::size_t head_size) {
  http::websocket::handshake_request handshake;
  if (const auto refusal = http::websocket::check_handshake(head_, handshake)) {
    co_await reject(*refusal);
    co_return;
  }
  if (loop_.draining()) {
    co_await reject(http::rejection{503, "The server is shutting down"});
    co_return;
  }
  // Earlier pipelined responses go out before the 101.
  if (!co_await flush()) {
    close();
    co_return;
  }
  upgrade_.emplace();
  upgrade_->bytes.assign(head, head_size);
  in_.consume(scanner_.prefix_length() + head_size);
  upgrade_->bytes.append(in_.pending_view());
  upgrade_->head_size = head_size;
  upgrade_->client = client_;
  upgrade_->local = local_;
  upgrade_->from_trusted_proxy = from_trusted_proxy_;
}

// Runs the app for the request just parsed. Returns whether the connection may serve
// another request.
asio::awaitable<bool> connection::serve_request() {
  ++requests_;
  loop_.counters().requests.add();
  if (loop_.keeps_request_metrics() || loop_.access_log().enabled())
    record_.began = std::chrono::steady_clock::now();
  if (loop_.access_log().enabled()) record_.received = std::time(nullptr);
  record_.response_headers.clear();
  const bool last_allowed =
      limits_.max_requests_per_connection != 0 && requests_ >= limits_.max_requests_per_connection;
  exchange_.begin(head_, site_, !last_allowed && !loop_.draining());
  exchange_over_.clear();
  if (from_trusted_proxy_) loop_.trusted_proxies()->rewrite(exchange_.scope(), forwarded_client_);
  record_.runner_endpoint = is_runner_endpoint(loop_, head_.raw_path);

  // Earlier pipelined responses wait in out_, so that a batch of them goes out in one
  // write when the loop next waits for the client. This app may take its time, though:
  // if it suspends, the watchdog writes them meanwhile (see flush_in_background()).
  if (out_.size() >= high_water_mark) {
    if (!co_await flush()) co_return false;
  } else if (!out_.empty()) {
    flush_in_background();
  }
  phase_ = phase::in_app;
  deadline_ = clock::time_point::max();
  loop_.stalls().note_request(head_.method, exchange_.scope().path);
  bool app_failed = false;
  // The app, or for /healthz and the like the runner's own endpoints (off the app's routes).
  const app_fn& app = record_.runner_endpoint ? loop_.runner_app() : loop_.app();
  // The app's requests are in flight until this function is left, however that happens.
  struct in_flight {
    loop_counter* gauge;
    explicit in_flight(loop_counter* g) : gauge(g) {
      if (gauge != nullptr) gauge->add();
    }
    ~in_flight() {
      if (gauge != nullptr) gauge->subtract();
    }
    in_flight(const in_flight&) = delete;
    in_flight& operator=(const in_flight&) = delete;
  } const counted(record_.runner_endpoint ? nullptr : &loop_.counters().requests_in_flight);
  {
    // The contract's two functions, bound to this connection for the app call.
    auto receive_impl = [this] { return receive(); };
    auto send_impl = [this](const send_event& event) { return send(event); };
    try {
      co_await app(exchange_.scope(), receive_fn(receive_impl), send_fn(send_impl));
    } catch (const client_disconnected&) {
      client_left();  // expected when clients go away: not a fault
    } catch (const std::exception& error) {
      app_failed = true;
      // Cancelled because the server closed the connection (the grace period of a
      // shutdown ran out): the server's doing, not the app's fault.
      if (closed_ && async::is_cancellation(error)) {
        log::debug("cancelled on close: " + std::string(head_.method) + " " + std::string(head_.target));
      } else {
        log_app_failure(error.what());
      }
    } catch (...) {
      app_failed = true;
      log_app_failure("unknown exception");
    }
  }
  co_await stop_disconnect_reader();  // before anything reads the socket again
  if (closed_) {
    note_served();
    co_return false;
  }
  if (!app_failed && !exchange_.response_started() && exchange_.body_complete())
    log::error("The app returned without a response for " + std::string(head_.method) + " " +
               std::string(head_.target) + ": answered 500");
  co_return co_await finish_request();
}

asio::awaitable<bool> connection::finish_request() {
  // Named first: GCC 12 crashes on `switch (call())` in a coroutine whose cases co_await
  // (docs/compilers.md).
  const auto ending = exchange_.conclude(out_, loop_.draining());
  note_served();  // the answer is decided: the status is known
  if (ending == http::exchange::ending::reject) {
    co_await reject(exchange_.rejection_to_send());
    co_return false;
  }
  if (ending == http::exchange::ending::answered) co_return exchange_.keep_alive() && !loop_.draining();
  if (ending == http::exchange::ending::cut_off) {
    // The app ended (or failed) in the middle of its response: the client can only
    // learn that from the connection closing.
    co_await flush();
    close();
    co_return false;
  }
  if (!exchange_.body_complete() && !co_await drain_unread_body()) co_return false;
  co_return exchange_.keep_alive() && !loop_.draining() && !disconnected_;
}

void connection::note_served() {
  const bool runner = record_.runner_endpoint;
  access_logger& access_log = loop_.access_log();
  const bool logged = access_log.enabled() && (!runner || loop_.config().log_probes);
  const bool counted = !runner && loop_.keeps_request_metrics();  // the runner's are not the app's
  if (!counted && !logged) return;
  // No response at all: the client left first (nginx's 499), or the server closed the
  // connection (a shutdown's grace ran out).
  const int status = exchange_.response_status() != 0 ? exchange_.response_status() : 499;
  const auto took = std::chrono::steady_clock::now() - record_.began;
  if (counted) loop_.metrics().record(head_.method, exchange_.report().route, status, took);
  if (logged) {
    const http::access_record line{&exchange_.scope(), status, exchange_.response_body_bytes(), record_.received, took,
                                   record_.response_headers};
    access_log.log(line);
  }
}

void connection::log_app_failure(std::string_view what) const {
  log::error("Exception in app for " + std::string(head_.method) + " " + std::string(head_.target) + ": " +
             std::string(what));
}

}  // namespace detail

asio::awaitable<void> serve_connection(stream_socket socket, event_loop& loop, connection_history history) {
  asio::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) co_return;  // already gone
  const auto local = socket.local_endpoint(ec);
  if (peer.data()->sa_family != AF_UNIX) socket.set_option(asio::ip::tcp::no_delay(true), ec);
  detail::connection c(std::move(socket), to_address(peer), to_address(local), loop, history);
  co_await c.serve();
  if (c.parked()) loop.parking().park(c.release_socket(), c.history(), c.idle_since());
  // A WebSocket goes on by itself, so that this coroutine's frame, with the HTTP
  // connection in it, is freed now.
  if (c.upgrading()) serve_websocket(c.release_socket(), loop, c.take_upgrade());
}

}  // namespace cogi::runtime
