// A WebSocket connection after the handshake request: the app's coroutine, and the
// connection's I/O driven by completion handlers around the session (the session,
// server/http/websocket/session.hpp, holds every protocol decision; this file is the
// I/O around it).
//
// Why handlers and not coroutines for the I/O: an idle WebSocket must cost little
// (docs/websocket.md, memory). A reader, a writer and a timer as coroutines joined by
// Asio's awaitable operators kept about 10 KB of coroutine frames and parallel-group
// state per idle connection; here an idle connection holds this object, the app's own
// frames, one wait for readability and at most one timer wait. Everything runs on the
// connection's loop; pump() is the one place that decides what the reader, the writer
// and the timer do next, and is called whenever something may have changed.

#include "cogi/server/runtime/websocket_connection.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/contract/app.hpp"
#include "cogi/server/contract/log.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/websocket/session.hpp"
#include "cogi/server/runtime/connection_list.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/memory_release.hpp"
#include "cogi/server/runtime/read_buffer.hpp"

namespace cogi::runtime {
namespace {

using clock = std::chrono::steady_clock;
using session_state = http::websocket::session::state;
namespace close_code = http::websocket::close_code;

constexpr clock::time_point never = clock::time_point::max();
// How long, and how much, a closing connection reads and drops what the client still sends.
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_linger_bytes = 64 * 1024 * 1024;
// The least room a read asks the buffer for.
constexpr std::size_t min_read_size = 2048;

// Owned by shared pointers: the app's coroutine holds one until the app returns, and
// each pending I/O operation's handler holds one, so the connection goes when the last
// of them ends (or when the loop is destroyed with them pending).
class websocket_connection final : public tracked_connection,
                                   public std::enable_shared_from_this<websocket_connection> {
 public:
  websocket_connection(stream_socket socket, event_loop& loop, websocket_upgrade upgrade)
      : socket_(std::move(socket)),
        loop_(loop),
        settings_(loop.config().websocket),
        upgrade_(std::move(upgrade)),
        in_(loop.buffers()),
        timer_(loop.context()) {
    // Bytes the client sent after its handshake wait in the read buffer; the copy keeps
    // only the head, which is parsed again from it, so that every view of the scope
    // points into memory this connection owns. It parsed once: it parses again.
    const std::string_view early = std::string_view(upgrade_.bytes).substr(upgrade_.head_size);
    if (!early.empty()) {
      in_.reserve_free(early.size());
      std::copy(early.begin(), early.end(), in_.free_space());
      in_.commit(early.size());
      unread_offered_ = true;
    }
    upgrade_.bytes.resize(upgrade_.head_size);
    upgrade_.bytes.shrink_to_fit();
    http::request_head head;
    http::request_parser parser(loop.config().limits);
    const bool parsed = !parser.parse(upgrade_.bytes.data(), upgrade_.head_size, head).has_value() &&
                        !http::websocket::check_handshake(head, handshake_).has_value();
    if (!parsed) throw std::logic_error("a checked WebSocket handshake did not parse again");
    head.headers.shrink_to_fit();  // kept for as long as the connection: no room to spare
    const http::exchange_site site{&loop.config().limits, loop.config().root_path, &upgrade_.client, &upgrade_.local,
                                   &loop.state()};
    session_.emplace(head, handshake_, site, settings_);
    // Of the head, only the header list outlives this constructor: the scope's views
    // point into it and into upgrade_.bytes. A moved vector keeps its elements in place.
    headers_ = std::move(head.headers);
    cogi::scope& scope = session_->scope();
    scope.report = &report_;
    // Behind a trusted proxy the client is the one it forwarded, written over the
    // proxy's address: the scope is all that needs either.
    if (upgrade_.from_trusted_proxy && loop.trusted_proxies() != nullptr)
      loop.trusted_proxies()->rewrite(scope, upgrade_.client);
    asio::error_code ignored;
    socket_.non_blocking(true, ignored);
    began_ = clock::now();
    last_activity_ = began_;
    received_at_ = std::time(nullptr);
    loop_.counters().requests.add();
    loop_.connections().add(*this);
  }

  ~websocket_connection() override {
    if (counted_open_) loop_.counters().websockets_open.subtract();
    loop_.connections().remove(*this);
  }

  // Called from a handler of its own, after the HTTP connection that handed this one
  // over has ended: the frames and handlers it freed are then in Asio's caches, and are
  // let go before the app's frames and this connection's waits are allocated, which
  // would otherwise keep those larger blocks for as long as the connection idles
  // (memory_release.hpp).
  void start() {
    release_recycled_memory();
    // The app's coroutine runs by itself; its end is this connection's to handle.
    asio::co_spawn(socket_.get_executor(), loop_.app()(session_->scope(), receive_fn(app_calls_), send_fn(app_calls_)),
                   [self = shared_from_this()](const std::exception_ptr& failure) { self->app_returned(failure); });
    update_timer();  // the handshake's deadline
    pump();
  }

  // Graceful shutdown: 1001 to an open connection (which then has close_timeout to
  // answer), 503 to a handshake the app has not answered.
  void drain() override {
    if (closed_) return;
    session_->close(close_code::going_away, "server shutting down");
    pump();
  }

  void abort() override {
    if (!closed_) loop_.counters().connections_aborted.add();
    close_socket();
  }

 private:
  // ---- the app ----------------------------------------------------------------------

  // What the app's receive() and send() call: one object serves both views.
  struct app_calls {
    websocket_connection* connection;
    asio::awaitable<receive_event> operator()() const { return connection->receive(); }
    asio::awaitable<void> operator()(const send_event& event) const { return connection->send(event); }
  };

  void app_returned(const std::exception_ptr& failure) {
    bool failed = false;
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const client_disconnected&) {
        // The client went, or the server closed: expected, not a fault.
      } catch (const std::exception& error) {
        failed = true;
        if (!(closed_ && async::is_cancellation(error)))
          log::error("Exception in WebSocket app for " + std::string(session_->scope().path) + ": " + error.what());
      } catch (...) {
        failed = true;
        log::error("Exception in WebSocket app for " + std::string(session_->scope().path) + ": unknown exception");
      }
    }
    if (closed_) return;
    handle([&] {
      session_->conclude(failed);
      note_answer();
    });
  }

  asio::awaitable<receive_event> receive() {
    for (;;) {
      const auto step = session_->next_receive();  // throws protocol_error when out of order
      if (step.action == http::websocket::session::receive_action::deliver) {
        if (reader_paused_) pump();  // a slot in the queue may have opened
        co_return step.event;
      }
      release_idle_buffers();
      co_await app_wakeup_.wait();
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
      log::debug("WebSocket send queue over its limit: closing " + std::string(session_->scope().path));
      close_socket();
      throw client_disconnected();
    }
    // Backpressure: send() returns once the output is below the high-water mark.
    while (!closed_ && pending_output() > settings_.send_high_water) co_await app_wakeup_.wait();
    if (closed_ && pending_output() > 0) throw client_disconnected();
  }

  // After the session took an event of the app's: the handshake's answer is noted once,
  // and the writer and the timer learn what changed.
  void after_send() {
    note_answer();
    pump();
  }

  void note_answer() {
    if (!handshake_noted_ && session_->handshake_status() != 0) {
      handshake_noted_ = true;
      note_handshake();
      if (session_->handshake_status() == 101) {
        counted_open_ = true;
        loop_.counters().websockets_open.add();
      }
    }
  }

  // The handshake's request in the metrics and the access log, as a request whose
  // answer is the 101 (or the refusal).
  void note_handshake() {
    const int status = session_->handshake_status();
    const auto took = clock::now() - began_;
    if (loop_.keeps_request_metrics()) loop_.metrics().record(session_->scope().method, report_.route, status, took);
    if (loop_.access_log().enabled()) {
      const http::access_record line{&session_->scope(), status, 0, received_at_, took, {}};
      loop_.access_log().log(line);
    }
  }

  // Wakes the app where it waits in receive() or send(); it looks again at the session.
  void wake_app() {
    app_wakeup_.set();
    app_wakeup_.clear();
  }

  // ---- deciding what happens next ----------------------------------------------------

  // Called whenever the session, the output or the socket may have changed. Re-entry
  // (the app sends from a receive the reader woke, a handler completes inline) is
  // folded into the running pump, which goes round once more.
  void pump() {
    if (pumping_) {
      pump_again_ = true;
      return;
    }
    pumping_ = true;
    try {
      do {
        pump_again_ = false;
        write_output();
        read_input();
        if (session_->current_state() != state_seen_) update_timer();
      } while (pump_again_);
    } catch (const std::exception& error) {  // out of memory: this connection ends, the loop goes on
      log::error(std::string("WebSocket connection failed: ") + error.what());
      close_socket();
    }
    pumping_ = false;
    wake_app();
  }

  // A completion handler's work, then whatever it made possible; a failure ends this
  // connection only.
  template <class Step>
  void handle(Step&& step) {
    try {
      step();
    } catch (const std::exception& error) {
      log::error(std::string("WebSocket connection failed: ") + error.what());
      close_socket();
    }
    pump();
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

  void read_input() {
    if (closed_ || waiting_to_read_) return;
    if (lingering_) {
      wait_to_read();
      return;
    }
    if (!may_read()) {
      reader_paused_ = session_->current_state() != session_state::closed;
      return;
    }
    reader_paused_ = false;
    if (in_.pending() > 0 && unread_offered_) {
      offer_input();
      return;
    }
    if (in_.pending() == 0) release_idle_buffers();
    wait_to_read();
  }

  // Idle (nothing read and not yet taken): the read buffer goes back to the pool and the
  // write and message buffers are freed, so an idle websocket holds none
  // (docs/websocket.md counts its memory). A write in progress keeps its buffer. Called
  // when the reader starts to wait and when the app does.
  void release_idle_buffers() {
    if (in_.pending() > 0) return;
    in_.release();
    if (writing_in_progress_) return;
    if (writing_.capacity() > sizeof(std::string)) std::string().swap(writing_);
    session_->release_idle_buffers();
  }

  // The session takes what it can of the bytes it has not seen.
  void offer_input() {
    std::span<char> pending(in_.data() + in_.begin(), in_.pending());
    const std::size_t before = session_->messages_received();
    in_.consume(session_->on_input(pending));
    loop_.counters().websocket_messages_received.add(session_->messages_received() - before);
    last_activity_ = clock::now();
    // Stopped with bytes left because the queue filled or the session closed: offer
    // them again later. Otherwise it needs more bytes than it has.
    unread_offered_ = !session_->wants_input();
    pump_again_ = true;
  }

  // Waits for readability, then reads what is there without blocking: an idle
  // connection holds no buffer while it waits.
  void wait_to_read() {
    waiting_to_read_ = true;
    socket_.async_wait(stream_socket::wait_read, [self = shared_from_this()](const asio::error_code& error) {
      self->waiting_to_read_ = false;
      if (self->closed_) return;
      self->handle([&] { error ? self->lost() : self->read_available(); });
    });
  }

  void read_available() {
    if (lingering_) {
      in_.ensure_storage();
      asio::error_code error;
      const std::size_t n = socket_.read_some(asio::buffer(in_.data(), in_.capacity()), error);
      if (error == asio::error::would_block || error == asio::error::try_again) return;
      lingered_bytes_ += n;
      loop_.counters().bytes_received.add(n);
      if (error || n == 0 || lingered_bytes_ >= max_linger_bytes) close_socket();
      return;
    }
    in_.reserve_free(min_read_size, 0);
    asio::error_code error;
    const std::size_t n = socket_.read_some(asio::buffer(in_.free_space(), in_.free_size()), error);
    if (error == asio::error::would_block || error == asio::error::try_again) return;
    if (error || n == 0) {
      lost();
      return;
    }
    in_.commit(n);
    loop_.counters().bytes_received.add(n);
    unread_offered_ = true;
  }

  // The socket failed or ended under a read or a write: the session learns it, and the
  // connection closes.
  void lost() {
    session_->connection_lost();
    close_socket();
  }

  // ---- the writer -------------------------------------------------------------------

  std::size_t pending_output() const { return session_->output_size() + writing_.size(); }

  // Whether the connection is over once the output is written: the session closed, or
  // the handshake was refused and its answer is complete.
  bool finished() const {
    return session_->current_state() == session_state::closed || (session_->refused() && session_->refusal_complete());
  }

  // What the session holds goes out: written at once as far as the socket takes it, the
  // rest by an asynchronous write (sends meanwhile append to the session's next output).
  void write_output() {
    if (closed_ || writing_in_progress_) return;
    if (session_->output().empty()) {
      if (finished() && !lingering_) begin_linger();
      return;
    }
    writing_.swap(session_->output());
    asio::error_code error;
    std::size_t written = socket_.write_some(asio::buffer(writing_), error);
    if (error == asio::error::would_block || error == asio::error::try_again) {
      written = 0;
      error = {};
    }
    if (!error && written < writing_.size()) {
      writing_in_progress_ = true;
      asio::async_write(socket_, asio::buffer(writing_.data() + written, writing_.size() - written),
                        [self = shared_from_this(), written](const asio::error_code& rest_error, std::size_t rest) {
                          self->writing_in_progress_ = false;
                          self->handle([&] { self->on_written(written + rest, rest_error); });
                        });
      return;
    }
    on_written(written, error);
  }

  void on_written(std::size_t bytes, const asio::error_code& error) {
    loop_.counters().bytes_sent.add(bytes);
    writing_.clear();
    if (writing_.capacity() > 64 * 1024) std::string().swap(writing_);
    if (error) {
      lost();
      return;
    }
    last_activity_ = clock::now();
    pump_again_ = true;  // senders waiting for the high-water mark, a paused reader
  }

  // ---- closing ----------------------------------------------------------------------

  // After our last frame (or refusal): our side ends, and what the client still sends is
  // read and dropped until it closes too, for a moment at most. Closing with its bytes
  // unread would answer them with a reset, which can destroy our close frame before the
  // client reads it (a client cut off mid-message by a 1009 would never learn why).
  void begin_linger() {
    lingering_ = true;
    ending_deadline_ = clock::now() + linger_time;
    asio::error_code ignored;
    socket_.shutdown(stream_socket::shutdown_send, ignored);
    in_.consume(in_.pending());
    update_timer();
  }

  void close_socket() {
    if (closed_) return;
    closed_ = true;
    session_->connection_lost();
    asio::error_code ignored;
    socket_.shutdown(stream_socket::shutdown_both, ignored);
    socket_.close(ignored);  // the pending wait completes, with operation_aborted
    timer_.cancel();
    wake_app();
  }

  // ---- the timer --------------------------------------------------------------------

  // The deadlines: the app's to answer the handshake, pings and their pongs, idleness,
  // the client's to answer our close, the linger. Runs when the timer fires and when the
  // session's state changes; sets the timer for the next deadline.
  void update_timer() {
    if (closed_) return;
    const auto now = clock::now();
    const auto state = session_->current_state();
    state_seen_ = state;
    clock::time_point wake = never;
    if (lingering_) {
      if (now >= ending_deadline_) {
        close_socket();
        return;
      }
      wake = ending_deadline_;
    } else if (state == session_state::connecting && !session_->refused()) {
      // The app has handshake_timeout to accept or refuse.
      const clock::time_point handshake_deadline = began_ + settings_.handshake_timeout;
      if (now >= handshake_deadline) return close_by_timer(close_code::going_away, {});
      wake = handshake_deadline;
    } else if (state == session_state::open) {
      if (next_ping_ == never && settings_.ping_interval.count() > 0) next_ping_ = now + settings_.ping_interval;
      if (pong_deadline_ != never && session_->pongs_received() > pongs_before_ping_) pong_deadline_ = never;
      if (pong_deadline_ != never && now >= pong_deadline_)
        return close_by_timer(close_code::internal_error, "keepalive ping timeout");
      // One ping at a time: the next waits for the answer (or the timeout) to this one.
      if (next_ping_ != never && now >= next_ping_ && pong_deadline_ == never) {
        pongs_before_ping_ = session_->pongs_received();
        session_->ping("cogi");
        pong_deadline_ = now + settings_.ping_timeout;
        next_ping_ = now + settings_.ping_interval;
        pump_again_ = true;
      }
      if (settings_.idle_timeout.count() > 0) {
        const auto idle_deadline = last_activity_ + settings_.idle_timeout;
        if (now >= idle_deadline) return close_by_timer(close_code::going_away, "idle timeout");
        wake = std::min(wake, idle_deadline);
      }
      wake = std::min(wake, pong_deadline_ != never ? pong_deadline_ : next_ping_);
    } else if (state == session_state::closing) {
      // Our close frame is out: the client has close_timeout to answer with its own.
      if (ending_deadline_ == never) ending_deadline_ = now + settings_.close_timeout;
      if (now >= ending_deadline_) {
        close_socket();
        return;
      }
      wake = ending_deadline_;
    }
    set_timer(wake);
  }

  void close_by_timer(std::uint16_t code, std::string_view reason) {
    session_->close(code, reason);
    pump_again_ = true;
    update_timer();  // the closing state's deadline
  }

  // One timer wait at most: a new deadline cancels the pending wait, whose handler then
  // looks at the deadlines again.
  void set_timer(clock::time_point wake) {
    if (wake == timer_set_for_) return;
    timer_set_for_ = wake;
    if (timer_waiting_) {
      timer_.cancel();
      return;
    }
    if (wake == never) return;
    timer_waiting_ = true;
    timer_.expires_at(wake);
    timer_.async_wait([self = shared_from_this()](const asio::error_code&) {
      self->timer_waiting_ = false;
      if (self->closed_) return;
      const auto wanted = self->timer_set_for_;
      self->timer_set_for_ = never;
      self->handle([&] {
        if (wanted == never || clock::now() >= wanted) {
          self->update_timer();
        } else {
          self->set_timer(wanted);  // cancelled for an earlier or later deadline
        }
      });
    });
  }

  stream_socket socket_;
  event_loop& loop_;
  const http::websocket::settings& settings_;
  // What an idle connection holds is counted (docs/websocket.md, memory): the head's
  // bytes and header list, the handshake's views, the addresses.
  websocket_upgrade upgrade_;
  std::vector<header_field> headers_;
  http::websocket::handshake_request handshake_;
  request_report report_;
  std::optional<http::websocket::session> session_;
  async::event app_wakeup_;  // pulsed after every pump: receive() and send() look again
  app_calls app_calls_{this};

  read_buffer in_;
  std::string writing_;  // what the socket is taking now
  // Bound to the loop's own executor type: 48 bytes less than one bound to any executor.
  asio::basic_waitable_timer<clock, asio::wait_traits<clock>, asio::io_context::executor_type> timer_;

  clock::time_point began_;
  clock::time_point last_activity_;
  clock::time_point timer_set_for_ = never;
  clock::time_point next_ping_ = never;
  clock::time_point pong_deadline_ = never;
  // Closing: the client's time to answer our close frame; then lingering: the linger's end.
  clock::time_point ending_deadline_ = never;
  std::uint64_t pongs_before_ping_ = 0;
  std::size_t lingered_bytes_ = 0;
  std::time_t received_at_ = 0;
  session_state state_seen_ = session_state::connecting;  // when it changes, the deadlines do

  bool unread_offered_ = false;  // in_ holds bytes the session has not been offered yet
  bool reader_paused_ = false;
  bool waiting_to_read_ = false;
  bool writing_in_progress_ = false;
  bool timer_waiting_ = false;
  bool pumping_ = false;
  bool pump_again_ = false;
  bool lingering_ = false;
  bool handshake_noted_ = false;
  bool counted_open_ = false;
  bool closed_ = false;
};

// Every idle WebSocket holds one: with make_shared's 16 bytes of counts it fills
// jemalloc's 1280-byte size class, and the next class is 1536. A field added here should
// push out one that idle connections do not need (docs/websocket.md, memory).
static_assert(sizeof(websocket_connection) <= 1280 - 16, "an idle WebSocket's connection object outgrew its budget");

}  // namespace

void serve_websocket(stream_socket socket, event_loop& loop, websocket_upgrade upgrade) {
  try {
    auto connection = std::make_shared<websocket_connection>(std::move(socket), loop, std::move(upgrade));
    asio::post(loop.context(), [connection = std::move(connection)] {
      try {
        connection->start();
      } catch (const std::exception& error) {  // out of memory: this connection ends, the loop goes on
        log::error(std::string("WebSocket connection failed: ") + error.what());
        connection->abort();
      }
    });
  } catch (const std::exception& error) {
    log::error(std::string("WebSocket connection failed: ") + error.what());
  }
}

}  // namespace cogi::runtime
