// A WebSocket connection after the handshake request: the app beside three jobs that
// share one wake-up (changed_): a reader that feeds the session the client's bytes, a
// writer that sends the session's output, and a timer for the deadlines. The session
// (server/http/websocket/session.hpp) holds every protocol decision; this file is the
// I/O around it.

#include "cogi/server/runtime/websocket_connection.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/contract/app.hpp"
#include "cogi/server/contract/log.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/websocket/session.hpp"
#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/runtime/connection_list.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/read_buffer.hpp"

namespace cogi::runtime {
namespace {

using namespace asio::experimental::awaitable_operators;
using clock = std::chrono::steady_clock;
using session_state = http::websocket::session::state;
namespace close_code = http::websocket::close_code;

constexpr clock::time_point never = clock::time_point::max();
// How long, and how much, a closing connection reads and drops what the client still sends.
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_linger_bytes = 64 * 1024 * 1024;

class websocket_connection final : public tracked_connection {
 public:
  websocket_connection(stream_socket socket, event_loop& loop, websocket_upgrade upgrade)
      : socket_(std::move(socket)),
        loop_(loop),
        settings_(loop.config().websocket),
        upgrade_(std::move(upgrade)),
        site_{&loop.config().limits, loop.config().root_path, &upgrade_.client, &upgrade_.local, &loop.state()},
        in_(loop.buffers()),
        timer_(socket_.get_executor()) {
    // The head is parsed again from the connection's copy, so that every view of the
    // scope points into memory this connection owns. It parsed once: it parses again.
    http::request_parser parser(loop.config().limits);
    const bool parsed = !parser.parse(upgrade_.bytes.data(), upgrade_.head_size, head_).has_value() &&
                        !http::websocket::check_handshake(head_, handshake_).has_value();
    if (!parsed) throw std::logic_error("a checked WebSocket handshake did not parse again");
    session_.emplace(head_, handshake_, site_, settings_);
    cogi::scope& scope = session_->scope();
    scope.report = &report_;
    if (upgrade_.from_trusted_proxy && loop.trusted_proxies() != nullptr) {
      loop.trusted_proxies()->rewrite(scope, forwarded_client_);
    }
    asio::error_code ignored;
    socket_.non_blocking(true, ignored);
    began_ = clock::now();
    received_at_ = std::time(nullptr);
    loop_.counters().requests.add();
    loop_.connections().add(*this);
  }

  ~websocket_connection() override {
    if (counted_open_) loop_.counters().websockets_open.subtract();
    loop_.connections().remove(*this);
  }

  asio::awaitable<void> serve() {
    // Bytes the client sent after its handshake wait in the read buffer.
    const std::string_view early = std::string_view(upgrade_.bytes).substr(upgrade_.head_size);
    if (!early.empty()) {
      in_.reserve_free(early.size());
      std::copy(early.begin(), early.end(), in_.free_space());
      in_.commit(early.size());
      unread_offered_ = true;
    }
    co_await (run_app() && (read_loop() && write_loop() && timer_loop()));
  }

  // Graceful shutdown: 1001 to an open connection (which then has close_timeout to
  // answer), 503 to a handshake the app has not answered.
  void drain() override {
    if (closed_) return;
    session_->close(close_code::going_away, "server shutting down");
    changed();
    wake_timer();
  }

  void abort() override {
    if (!closed_) loop_.counters().connections_aborted.add();
    close_socket();
  }

 private:
  // ---- the app ----------------------------------------------------------------------

  asio::awaitable<void> run_app() {
    auto receive_impl = [this] { return receive(); };
    auto send_impl = [this](const send_event& event) { return send(event); };
    bool failed = false;
    try {
      co_await loop_.app()(session_->scope(), receive_fn(receive_impl), send_fn(send_impl));
    } catch (const client_disconnected&) {
      // The client went, or the server closed: expected, not a fault.
    } catch (const std::exception& error) {
      failed = true;
      if (!(closed_ && async::is_cancellation(error)))
        log::error("Exception in WebSocket app for " + std::string(head_.target) + ": " + error.what());
    } catch (...) {
      failed = true;
      log::error("Exception in WebSocket app for " + std::string(head_.target) + ": unknown exception");
    }
    if (!closed_) {
      session_->conclude(failed);
      after_send();
    }
    app_done_ = true;
    changed();
  }

  asio::awaitable<receive_event> receive() {
    for (;;) {
      const auto step = session_->next_receive();  // throws protocol_error when out of order
      if (step.action == http::websocket::session::receive_action::deliver) {
        if (reader_paused_) changed();  // a slot in the queue may have opened
        co_return step.event;
      }
      co_await changed_.wait();
    }
  }

  asio::awaitable<void> send(const send_event& event) {
    const std::size_t queued_before = pending_output();
    session_->send(event);  // throws protocol_error, or client_disconnected once closed
    if (std::holds_alternative<websocket_send>(event)) loop_.counters().websocket_messages_sent.add();
    after_send();
    // A client that does not read, and an app that does not wait for its sends, meet
    // here: past the hard limit the connection is closed rather than the memory grown.
    if (queued_before > 0 && pending_output() > settings_.send_queue_limit) {
      log::debug("WebSocket send queue over its limit: closing " + std::string(head_.target));
      close_socket();
      throw client_disconnected();
    }
    // Backpressure: send() returns once the output is below the high-water mark.
    while (!closed_ && pending_output() > settings_.send_high_water) co_await changed_.wait();
    if (closed_ && pending_output() > 0) throw client_disconnected();
  }

  // After the session took an event of the app's: the handshake's answer is noted once,
  // and the writer and the timer learn what changed.
  void after_send() {
    if (!handshake_noted_ && session_->handshake_status() != 0) {
      handshake_noted_ = true;
      note_handshake();
      if (session_->handshake_status() == 101) {
        counted_open_ = true;
        loop_.counters().websockets_open.add();
      }
    }
    if (session_->current_state() != state_seen_) wake_timer();
    changed();
  }

  // The handshake's request in the metrics and the access log, as a request whose
  // answer is the 101 (or the refusal).
  void note_handshake() {
    const int status = session_->handshake_status();
    const auto took = clock::now() - began_;
    if (loop_.keeps_request_metrics()) loop_.metrics().record(head_.method, report_.route, status, took);
    if (loop_.access_log().enabled()) {
      const http::access_record line{&session_->scope(), status, 0, received_at_, took, {}};
      loop_.access_log().log(line);
    }
  }

  // ---- the reader -------------------------------------------------------------------

  // Whether the reader may take more of the client's bytes: the app accepted, the
  // session wants them, and our output is not backed up (a client that sends without
  // reading our answers, pongs included, is not read either).
  bool may_read() const {
    const auto state = session_->current_state();
    return (state == session_state::open || state == session_state::closing) && session_->wants_input() &&
           pending_output() <= settings_.send_high_water;
  }

  asio::awaitable<void> read_loop() {
    while (!closed_) {
      const auto state = session_->current_state();
      if (state == session_state::closed) break;  // the writer closes the socket
      if (!may_read()) {
        reader_paused_ = true;
        co_await changed_.wait();
        reader_paused_ = false;
        continue;
      }
      if (in_.pending() > 0 && unread_offered_) {
        std::span<char> pending(in_.data() + in_.begin(), in_.pending());
        const std::size_t before = session_->messages_received();
        in_.consume(session_->on_input(pending));
        loop_.counters().websocket_messages_received.add(session_->messages_received() - before);
        last_activity_ = clock::now();
        // Stopped with bytes left because the queue filled or the session closed: offer
        // them again later. Otherwise it needs more bytes than it has.
        unread_offered_ = !session_->wants_input();
        changed();
        continue;
      }
      if (in_.pending() == 0) {
        // Idle: the buffer goes back to the pool and only readiness is awaited, so an
        // idle websocket holds no read buffer (docs/websocket.md counts its memory).
        in_.release();
        auto [wait_error] = co_await socket_.async_wait(stream_socket::wait_read, as_result);
        if (wait_error) {
          lost();
          break;
        }
      }
      in_.reserve_free(2048, 0);
      auto [error, n] = co_await socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()), as_result);
      if (error || n == 0) {
        lost();
        break;
      }
      in_.commit(n);
      loop_.counters().bytes_received.add(n);
      unread_offered_ = true;
    }
  }

  // The socket failed or ended under a read: the session learns it, and the writer closes.
  void lost() {
    session_->connection_lost();
    changed();
  }

  // ---- the writer -------------------------------------------------------------------

  std::size_t pending_output() const { return session_->output_size() + writing_.size(); }

  // Whether the connection is over once the output is written: the session closed, or
  // the handshake was refused and its answer is complete.
  bool finished() const {
    return session_->current_state() == session_state::closed || (session_->refused() && session_->refusal_complete());
  }

  asio::awaitable<void> write_loop() {
    while (!closed_) {
      if (session_->output().empty()) {
        if (finished()) {
          co_await close_gracefully();
          break;
        }
        co_await changed_.wait();
        continue;
      }
      // What the session holds now goes out; sends meanwhile append to its next output.
      writing_.swap(session_->output());
      asio::error_code error;
      std::size_t written = socket_.write_some(asio::buffer(writing_), error);
      if (error == asio::error::would_block || error == asio::error::try_again) {
        written = 0;
        error = {};
      }
      if (!error && written < writing_.size()) {
        auto [rest_error, rest] = co_await asio::async_write(socket_, asio::buffer(writing_.data() + written, writing_.size() - written), as_result);
        written += rest;
        error = rest_error;
      }
      loop_.counters().bytes_sent.add(written);
      writing_.clear();
      if (writing_.capacity() > 64 * 1024) std::string().swap(writing_);
      if (error) {
        lost();
        close_socket();
        break;
      }
      last_activity_ = clock::now();
      changed();  // senders waiting for the high-water mark, a paused reader
    }
  }

  // ---- the timer --------------------------------------------------------------------

  void wake_timer() { timer_.cancel(); }

  asio::awaitable<void> timer_loop() {
    const clock::time_point handshake_deadline = began_ + settings_.handshake_timeout;
    clock::time_point next_ping = never, pong_deadline = never, closing_deadline = never;
    std::uint64_t pongs_before_ping = 0;
    while (!closed_) {
      const auto now = clock::now();
      const auto state = session_->current_state();
      state_seen_ = state;
      clock::time_point wake = never;
      if (state == session_state::connecting && !session_->refused()) {
        // The app has handshake_timeout to accept or refuse.
        if (now >= handshake_deadline) {
          session_->close(close_code::going_away, {});
          changed();
          continue;
        }
        wake = handshake_deadline;
      } else if (state == session_state::open) {
        if (next_ping == never && settings_.ping_interval.count() > 0) next_ping = now + settings_.ping_interval;
        if (pong_deadline != never && session_->pongs_received() > pongs_before_ping) pong_deadline = never;
        if (pong_deadline != never && now >= pong_deadline) {
          session_->close(close_code::internal_error, "keepalive ping timeout");
          changed();
          continue;
        }
        // One ping at a time: the next waits for the answer (or the timeout) to this one.
        if (next_ping != never && now >= next_ping && pong_deadline == never) {
          pongs_before_ping = session_->pongs_received();
          session_->ping("cogi");
          pong_deadline = now + settings_.ping_timeout;
          next_ping = now + settings_.ping_interval;
          changed();
        }
        if (settings_.idle_timeout.count() > 0) {
          const auto idle_deadline = last_activity_ + settings_.idle_timeout;
          if (now >= idle_deadline) {
            session_->close(close_code::going_away, "idle timeout");
            changed();
            continue;
          }
          wake = std::min(wake, idle_deadline);
        }
        wake = std::min(wake, pong_deadline != never ? pong_deadline : next_ping);
      } else if (state == session_state::closing) {
        // Our close frame is out: the client has close_timeout to answer with its own.
        if (closing_deadline == never) closing_deadline = now + settings_.close_timeout;
        if (now >= closing_deadline) {
          close_socket();
          break;
        }
        wake = closing_deadline;
      }
      if (wake == never) {
        timer_.expires_at(asio::steady_timer::time_point::max());
      } else {
        timer_.expires_at(wake);
      }
      co_await timer_.async_wait(as_result);
    }
  }

  // ---- closing ----------------------------------------------------------------------

  // After our last frame (or refusal): our side ends, and what the client still sends is
  // read and dropped until it closes too, for a moment at most. Closing with its bytes
  // unread would answer them with a reset, which can destroy our close frame before the
  // client reads it (a client cut off mid-message by a 1009 would never learn why).
  asio::awaitable<void> close_gracefully() {
    asio::error_code ignored;
    socket_.shutdown(stream_socket::shutdown_send, ignored);
    if (!closed_) co_await (discard_until_eof() || async::sleep_for(linger_time));
    close_socket();
  }

  asio::awaitable<void> discard_until_eof() {
    std::size_t discarded = 0;
    in_.ensure_storage();
    while (discarded < max_linger_bytes) {
      auto [error, n] = co_await socket_.async_read_some(asio::buffer(in_.data(), in_.capacity()), as_result);
      if (error || n == 0) break;
      discarded += n;
      loop_.counters().bytes_received.add(n);
    }
  }

  void changed() {
    changed_.set();
    changed_.clear();
  }

  void close_socket() {
    if (closed_) return;
    closed_ = true;
    session_->connection_lost();
    asio::error_code ignored;
    socket_.shutdown(stream_socket::shutdown_both, ignored);
    socket_.close(ignored);
    timer_.cancel();
    changed();
  }

  stream_socket socket_;
  event_loop& loop_;
  const http::websocket::settings& settings_;
  websocket_upgrade upgrade_;
  http::request_head head_;
  http::websocket::handshake_request handshake_;
  http::exchange_site site_;
  address forwarded_client_;
  request_report report_;
  std::optional<http::websocket::session> session_;

  read_buffer in_;
  bool unread_offered_ = false;  // in_ holds bytes the session has not been offered yet
  bool reader_paused_ = false;
  std::string writing_;
  async::event changed_;  // pulsed whenever the session or the output changes
  asio::steady_timer timer_;
  session_state state_seen_ = session_state::connecting;  // by the timer, to know when to wake it

  clock::time_point began_;
  clock::time_point last_activity_ = clock::now();
  std::time_t received_at_ = 0;
  bool handshake_noted_ = false;
  bool counted_open_ = false;
  bool app_done_ = false;
  bool closed_ = false;
};

asio::awaitable<void> serve_upgraded(stream_socket socket, event_loop& loop, websocket_upgrade upgrade) {
  try {
    websocket_connection connection(std::move(socket), loop, std::move(upgrade));
    co_await connection.serve();
  } catch (const std::exception& error) {
    log::error(std::string("WebSocket connection failed: ") + error.what());
  }
}

}  // namespace

asio::awaitable<void> serve_websocket(stream_socket socket, event_loop& loop, websocket_upgrade upgrade) {
  co_await serve_upgraded(std::move(socket), loop, std::move(upgrade));
}

}  // namespace cogi::runtime
