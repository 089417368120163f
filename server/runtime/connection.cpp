#include "server/runtime/connection.hpp"

#include <array>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <tuple>

#include "server/runtime/as_result.hpp"
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/write.hpp>

#include "server/contract/app.hpp"
#include "server/http/body_reader.hpp"
#include "server/http/head_scanner.hpp"
#include "server/http/percent.hpp"
#include "server/http/request_parser.hpp"
#include "server/http/response_encoder.hpp"
#include "server/runtime/event_loop.hpp"
#include "server/runtime/log.hpp"
#include "server/runtime/read_buffer.hpp"
#include "server/runtime/socket_address.hpp"

namespace cogi::runtime {
namespace {

using clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

// Send completes once its bytes are written or buffered below this (DESIGN.md §2).
constexpr std::size_t high_water_mark = 64 * 1024;
// An unread request body up to this size is read and discarded so the connection can
// be reused; a larger one closes the connection instead.
constexpr std::uint64_t max_drain_bytes = 64 * 1024;
// After an error response, keep reading (and discarding) for a moment before closing,
// so that the client reads the response instead of a reset (nginx's lingering close).
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_linger_bytes = 1024 * 1024;
// Timeouts are checked at least this often; a deadline can fire this much late.
constexpr auto watchdog_period = std::chrono::milliseconds(250);
// A connection idle this long gives its read buffer back to the loop's pool.
constexpr auto park_delay = std::chrono::seconds(1);

constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";

class connection final : public tracked_connection {
 public:
  connection(stream_socket socket, address client, address local, event_loop& loop)
      : socket_(std::move(socket)),
        loop_(loop),
        limits_(loop.config().limits),
        client_(std::move(client)),
        local_(std::move(local)),
        in_(loop.buffers()),
        scanner_(limits_),
        parser_(limits_),
        watchdog_timer_(socket_.get_executor()) {
    asio::error_code ignored;
    // Non-blocking mode lets writes be tried synchronously first (no suspension when the
    // kernel takes the whole response, which is nearly always).
    socket_.non_blocking(true, ignored);
    deadline_ = clock::now() + limits_.header_timeout;
    head_.headers.reserve(32);
    loop_.connections().add(*this);
  }

  ~connection() { loop_.connections().remove(*this); }

  asio::awaitable<void> serve() { co_await (run() || watchdog()); }

  void drain() override {
    // An idle connection is closed at once; a busy one after its current response.
    if (phase_ == phase::idle) close();
  }

  void abort() override { close(); }

 private:
  enum class phase { idle, reading_head, in_app, closing };
  enum class head_outcome { complete, rejected, closed };

  asio::awaitable<void> run();
  asio::awaitable<void> watchdog();
  asio::awaitable<head_outcome> read_head();
  asio::awaitable<bool> wait_idle();
  asio::awaitable<bool> serve_request();
  void log_app_failure(std::string_view what) const;
  asio::awaitable<receive_event> receive();
  asio::awaitable<void> send(const send_event& event);
  asio::awaitable<void> wait_for_disconnect();
  asio::awaitable<bool> drain_unread_body();
  // Starts a read into in_ (room for at least min_free bytes, keeping what lies before
  // keep_until); co_await it and pass the result to committed(): bytes read, 0 on error.
  using read_result = std::tuple<asio::error_code, std::size_t>;
  asio::awaitable<read_result> read_some(std::size_t min_free, std::size_t keep_until);
  std::size_t committed(const read_result& result);
  // Writes everything or fails (client gone, or stalled past the body timeout).
  asio::awaitable<bool> write(std::string_view first, std::string_view second = {}, std::string_view third = {});
  // Writes what the kernel takes now, without suspending; leaves the rest in `buffers`.
  bool write_now(std::array<asio::const_buffer, 3>& buffers);
  asio::awaitable<bool> write_rest(std::array<asio::const_buffer, 3> buffers);
  asio::awaitable<bool> flush();
  asio::awaitable<void> reject(const http::rejection& rejection);
  asio::awaitable<void> close_gracefully();
  void prepare_scope();
  void on_timeout();
  void close();

  stream_socket socket_;
  event_loop& loop_;
  const http::limits& limits_;
  address client_;
  address local_;

  read_buffer in_;
  std::size_t body_start_ = 0;  // in_ offset where this request's body begins
  http::head_scanner scanner_;
  http::request_parser parser_;
  http::request_head head_;
  http::body_reader body_;
  std::optional<http::rejection> body_error_;
  bool continue_sent_ = false;
  bool final_body_delivered_ = false;  // the more_body=false event has been received

  http::response_encoder encoder_;
  std::string out_;  // response bytes not yet written; capacity reused

  std::string path_storage_;
  std::string raw_path_storage_;
  scope scope_;

  phase phase_ = phase::idle;
  clock::time_point deadline_;
  clock::time_point idle_since_;
  asio::steady_timer watchdog_timer_;
  bool park_requested_ = false;  // the watchdog cancelled an idle read to park
  bool parked_ = false;           // idle without a buffer
  std::uint64_t requests_ = 0;
  bool closed_ = false;
  bool disconnected_ = false;
};

// ---- request loop ---------------------------------------------------------------

asio::awaitable<void> connection::run() {
  while (!closed_) {
    const head_outcome outcome = co_await read_head();
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
    in_.consume(scanner_.prefix_length() + scanner_.head_length());
    body_start_ = in_.begin();
    // 413 from Content-Length alone, before a byte of the body is read.
    if (limits_.max_body_bytes != 0 && head_.framing == http::body_framing::content_length &&
        head_.content_length > limits_.max_body_bytes) {
      co_await reject({413, "Request body too large"});
      co_return;
    }
    if (!co_await serve_request()) break;
  }
  co_await close_gracefully();
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
    if (!out_.empty() && !co_await flush()) co_return head_outcome::closed;
    if (in_.pending() == 0) {
      if (!co_await wait_idle()) co_return head_outcome::closed;
      phase_ = phase::reading_head;
      deadline_ = clock::now() + limits_.header_timeout;  // the whole head from here
      continue;
    }
    const std::size_t received = committed(co_await read_some(2048, 0));
    if (received == 0) co_return head_outcome::closed;
  }
}

// Waits for the first bytes of the next request. An active client is read directly
// (one recv per request, as nginx does); a connection idle for longer than park_delay is
// parked by the watchdog: its buffer goes back to the pool and it waits for readability
// without one, so idle keep-alive connections cost no buffer memory (DESIGN.md §8).
asio::awaitable<bool> connection::wait_idle() {
  phase_ = phase::idle;
  idle_since_ = clock::now();
  if (loop_.draining() || closed_) co_return false;
  if (requests_ > 0) deadline_ = idle_since_ + limits_.keep_alive_timeout;
  for (;;) {
    if (parked_) {
      in_.release();
      auto [ec] = co_await socket_.async_wait(stream_socket::wait_read, as_result);
      parked_ = false;
      co_return !ec && !closed_;
    }
    if (committed(co_await read_some(2048, 0)) > 0) co_return true;
    if (closed_ || !park_requested_) co_return false;
    parked_ = true;  // the watchdog cancelled the read to park the connection
    park_requested_ = false;
  }
}

void connection::prepare_scope() {
  const std::string& root_path = loop_.config().root_path;
  scope_.type = scope_type::http;
  scope_.http_version = head_.http_version();
  scope_.method = head_.method;
  scope_.scheme = "http";
  scope_.raw_path = head_.raw_path;
  scope_.path = http::percent_decode(head_.raw_path, path_storage_);
  if (!root_path.empty()) {
    // As uvicorn does: path and raw_path include the mount point; routers strip it.
    raw_path_storage_.assign(root_path).append(head_.raw_path);
    scope_.raw_path = raw_path_storage_;
    if (scope_.path.data() != path_storage_.data()) path_storage_.assign(scope_.path);
    path_storage_.insert(0, root_path);
    scope_.path = path_storage_;
  }
  scope_.query_string = head_.query_string;
  scope_.root_path = root_path;
  scope_.headers = head_.headers;
  scope_.client = &client_;
  scope_.server = &local_;
  scope_.state = &loop_.state();
}

// Runs the app for the request just parsed. Returns whether the connection may serve
// another request.
asio::awaitable<bool> connection::serve_request() {
  ++requests_;
  loop_.count_request();
  prepare_scope();
  body_.reset(head_, limits_.max_body_bytes, limits_.max_header_bytes);
  body_error_.reset();
  continue_sent_ = false;
  final_body_delivered_ = false;
  const bool last_allowed =
      limits_.max_requests_per_connection != 0 && requests_ >= limits_.max_requests_per_connection;
  encoder_.reset({.version_minor = head_.version_minor,
                  .head_request = head_.method == "HEAD",
                  .keep_alive = head_.keep_alive && !last_allowed && !loop_.draining()});

  // Earlier pipelined responses go out before this app runs: it may take its time.
  if (!out_.empty() && !co_await flush()) co_return false;
  phase_ = phase::in_app;
  deadline_ = clock::time_point::max();
  {
    // The contract's two functions, bound to this connection for the app call.
    auto receive_impl = [this] { return receive(); };
    auto send_impl = [this](const send_event& event) { return send(event); };
    try {
      co_await loop_.app()(scope_, receive_fn(receive_impl), send_fn(send_impl));
    } catch (const client_disconnected&) {
      disconnected_ = true;  // expected when clients go away: not a fault
    } catch (const std::exception& error) {
      log_app_failure(error.what());
    } catch (...) {
      log_app_failure("unknown exception");
    }
  }
  if (closed_) co_return false;

  if (encoder_.started() && !encoder_.body_started()) {
    // The app failed between response.start and its first body: nothing is written yet,
    // so the client can still get a proper 500 instead of a cut-off head.
    out_.clear();
    encoder_.reset({.version_minor = head_.version_minor, .head_request = false, .keep_alive = false});
  }
  if (!encoder_.started()) {
    // Nothing sent: a body error the app did not answer, or a failed / silent app.
    const auto& error = body_error_ ? *body_error_ : http::rejection{500, "Internal Server Error"};
    if (body_error_ || !body_.done()) {
      co_await reject(error);
      co_return false;
    }
    http::append_error_response(out_, error.status, error.reason, encoder_.keep_alive());
    co_return encoder_.keep_alive() && !loop_.draining();
  }
  if (!encoder_.finished()) {
    // The app ended (or failed) in the middle of its response: the client can only
    // learn that from the connection closing.
    co_await flush();
    close();
    co_return false;
  }
  if (!body_.done() && !co_await drain_unread_body()) co_return false;
  co_return encoder_.keep_alive() && !loop_.draining() && !disconnected_;
}

void connection::log_app_failure(std::string_view what) const {
  log::error("Exception in app for " + std::string(head_.method) + " " + std::string(head_.target) + ": " +
             std::string(what));
}

// ---- receive --------------------------------------------------------------------

asio::awaitable<receive_event> connection::receive() {
  constexpr receive_event disconnect{receive_type::http_disconnect, {}, false};
  if (closed_ || disconnected_ || body_error_) co_return disconnect;
  if (body_.done() && !final_body_delivered_) {
    final_body_delivered_ = true;  // a request without a body still gets one (empty) event
    co_return receive_event{receive_type::http_request, {}, false};
  }
  if (body_.done()) {
    // ASGI: after the body, receive() waits until the response is done or the client goes.
    if (!encoder_.finished()) co_await wait_for_disconnect();
    co_return disconnect;
  }
  if (head_.expect_continue && !continue_sent_) {
    // RFC 9110 §10.1.1: the interim response only once the app wants the body.
    continue_sent_ = true;
    if (!encoder_.started()) {
      out_.append(continue_response);
      if (!co_await flush()) co_return disconnect;
    }
  }
  for (;;) {
    const auto result = body_.next(in_.pending_view());
    in_.consume(result.consumed);
    switch (result.state) {
      case http::body_reader::status::data:
        final_body_delivered_ = body_.done();
        co_return receive_event{receive_type::http_request, result.data, !body_.done()};
      case http::body_reader::status::done:
        final_body_delivered_ = true;
        co_return receive_event{receive_type::http_request, {}, false};
      case http::body_reader::status::rejected:
        body_error_ = body_.error();
        co_return disconnect;
      case http::body_reader::status::need_more:
        break;
    }
    // Flow control: the socket is read only when the app asks for more body.
    deadline_ = clock::now() + limits_.body_timeout;
    const std::size_t received = committed(co_await read_some(4096, body_start_));
    deadline_ = clock::time_point::max();
    if (received == 0) {
      disconnected_ = true;
      co_return disconnect;
    }
  }
}

asio::awaitable<void> connection::wait_for_disconnect() {
  // Keep reading (pipelined bytes are kept for later) until the peer closes or the
  // response finishes; with the buffer full, only the connection closing ends the wait.
  while (!closed_ && !disconnected_ && !encoder_.finished()) {
    if (in_.free_size() == 0) {
      asio::steady_timer never(socket_.get_executor(), clock::time_point::max());
      co_await never.async_wait(as_result);
      break;
    }
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()), as_result);
    if (ec) {
      disconnected_ = true;
      break;
    }
    in_.commit(n);
  }
}

asio::awaitable<bool> connection::drain_unread_body() {
  // Reuse the connection only if what is left of the body is small and the client is not
  // still waiting for a 100 Continue it never got.
  if (head_.expect_continue && !continue_sent_) co_return false;
  if (!body_.chunked() && body_.remaining() > max_drain_bytes) co_return false;
  const std::uint64_t start = body_.received();
  for (;;) {
    const auto result = body_.next(in_.pending_view());
    in_.consume(result.consumed);
    if (result.state == http::body_reader::status::done) co_return true;
    if (result.state == http::body_reader::status::rejected) co_return false;
    if (body_.received() - start > max_drain_bytes) co_return false;
    if (result.state == http::body_reader::status::need_more) {
      deadline_ = clock::now() + limits_.body_timeout;
      const std::size_t received = committed(co_await read_some(4096, body_start_));
      deadline_ = clock::time_point::max();
      if (received == 0) co_return false;
    }
  }
}

// ---- send -----------------------------------------------------------------------

asio::awaitable<void> connection::send(const send_event& event) {
  if (const auto* start = std::get_if<response_start>(&event)) {
    if (encoder_.started()) throw protocol_error("http.response.start sent twice");
    if (closed_ || disconnected_) throw client_disconnected();
    // Say "connection: close" now if this response will be the last: the server is
    // draining, or a body the app leaves unread cannot be drained cheaply.
    const bool unread_body_blocks_reuse =
        !body_.done() && ((head_.expect_continue && !continue_sent_) ||
                          (!body_.chunked() && body_.remaining() > max_drain_bytes));
    if (loop_.draining() || unread_body_blocks_reuse) encoder_.close_after();
    encoder_.start(out_, start->status, start->headers);
    co_return;
  }
  const auto* body = std::get_if<response_body>(&event);
  if (body == nullptr) throw protocol_error("lifespan event sent in an http scope");
  if (closed_ || disconnected_) {
    if (!encoder_.started()) throw protocol_error("http.response.body before http.response.start");
    throw client_disconnected();
  }
  const auto piece = encoder_.body(out_, body->body, body->more_body);
  bool written = true;
  if (piece.data.size() >= high_water_mark) {
    // Large piece: gather-write it from the app's memory instead of copying it.
    written = co_await write(out_, piece.data, piece.suffix);
    out_.clear();
  } else {
    out_.append(piece.data).append(piece.suffix);
    // Streaming pieces go out now; a final piece waits in out_ for pipelined
    // companions, and is flushed before the next app runs or the connection waits.
    if (body->more_body || out_.size() >= high_water_mark) written = co_await flush();
  }
  if (!written) throw client_disconnected();
}

// ---- socket I/O -----------------------------------------------------------------

asio::awaitable<connection::read_result> connection::read_some(std::size_t min_free, std::size_t keep_until) {
  in_.reserve_free(min_free, keep_until);
  // Asio reads speculatively, and after a short read waits for the next edge without a
  // syscall: one recv per request when requests come one at a time. Not a coroutine
  // itself (one frame less per read): callers pass the result to committed().
  return socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()), as_result);
}

std::size_t connection::committed(const read_result& result) {
  const auto& [ec, n] = result;
  if (ec) return 0;
  in_.commit(n);
  return n;
}

bool connection::write_now(std::array<asio::const_buffer, 3>& buffers) {
  asio::error_code ec;
  // The socket is non-blocking: the kernel nearly always takes a whole response at once.
  std::size_t written = socket_.write_some(buffers, ec);
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    disconnected_ = true;
    return false;
  }
  for (auto& buffer : buffers) {
    const std::size_t skip = std::min(written, buffer.size());
    buffer += skip;
    written -= skip;
  }
  return true;
}

asio::awaitable<bool> connection::write(std::string_view first, std::string_view second, std::string_view third) {
  std::array<asio::const_buffer, 3> buffers{asio::buffer(first), asio::buffer(second), asio::buffer(third)};
  if (!write_now(buffers)) co_return false;
  if (asio::buffer_size(buffers) == 0) co_return true;
  co_return co_await write_rest(buffers);
}

asio::awaitable<bool> connection::write_rest(std::array<asio::const_buffer, 3> buffers) {
  // The client is slow to read: wait, but not forever (body timeout applies to stalls).
  const auto saved_deadline = deadline_;
  deadline_ = clock::now() + limits_.body_timeout;
  auto [ec, n] = co_await asio::async_write(socket_, buffers, as_result);
  deadline_ = saved_deadline;
  if (ec) {
    disconnected_ = true;
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> connection::flush() {
  if (out_.empty()) co_return !closed_;
  std::array<asio::const_buffer, 3> buffers{asio::buffer(out_), asio::const_buffer(), asio::const_buffer()};
  bool ok = write_now(buffers);
  if (ok && asio::buffer_size(buffers) != 0) ok = co_await write_rest(buffers);
  out_.clear();
  co_return ok;
}

// ---- errors, timeouts and closing -----------------------------------------------

asio::awaitable<void> connection::reject(const http::rejection& rejection) {
  if (rejection.status >= 500) log::debug("rejected request: " + std::string(rejection.reason));
  std::string text(rejection.reason);
  text.push_back('\n');
  http::append_error_response(out_, rejection.status, text);
  co_await close_gracefully();
}

asio::awaitable<void> connection::close_gracefully() {
  if (closed_) co_return;
  phase_ = phase::closing;
  co_await flush();
  asio::error_code ec;
  socket_.shutdown(stream_socket::shutdown_send, ec);
  if (!ec && !disconnected_) {
    // Lingering close: read and drop what the client still sends, so the kernel does not
    // answer it with a reset that could destroy the response before it is read.
    deadline_ = clock::now() + linger_time;
    std::size_t discarded = 0;
    in_.ensure_storage();
    while (!closed_ && discarded < max_linger_bytes) {
      auto [read_error, n] =
          co_await socket_.async_read_some(asio::buffer(in_.data(), in_.capacity()), as_result);
      if (read_error) break;
      discarded += n;
    }
  }
  close();
}

void connection::on_timeout() {
  if (phase_ == phase::reading_head && scanner_.any_bytes_seen() && out_.empty()) {
    // Best effort (non-blocking) 408 for a client that started a request and stalled.
    std::string response;
    http::append_error_response(response, 408, "Request header timeout\n");
    asio::error_code ignored;
    socket_.write_some(asio::buffer(response), ignored);
  }
  close();
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ignored;
  socket_.shutdown(stream_socket::shutdown_both, ignored);
  socket_.close(ignored);
  watchdog_timer_.cancel();
}

asio::awaitable<void> connection::watchdog() {
  while (!closed_) {
    const auto now = clock::now();
    if (deadline_ <= now) {
      on_timeout();
      co_return;
    }
    if (phase_ == phase::idle && !parked_ && !park_requested_ && now - idle_since_ >= park_delay) {
      park_requested_ = true;  // wait_idle() sees its read cancelled and parks
      asio::error_code ignored;
      socket_.cancel(ignored);
    }
    // Wake at the deadline, or sooner to notice a deadline that moved closer.
    watchdog_timer_.expires_at(deadline_ - now < watchdog_period ? deadline_ : now + watchdog_period);
    co_await watchdog_timer_.async_wait(as_result);
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
  }
}

}  // namespace

asio::awaitable<void> serve_connection(stream_socket socket, event_loop& loop) {
  asio::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) co_return;  // already gone
  const auto local = socket.local_endpoint(ec);
  if (peer.data()->sa_family != AF_UNIX) socket.set_option(asio::ip::tcp::no_delay(true), ec);
  connection c(std::move(socket), to_address(peer), to_address(local), loop);
  co_await c.serve();
}

}  // namespace cogi::runtime
