#include "server/runtime/connection.hpp"

#include <exception>
#include <string>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>

#include "server/runtime/as_result.hpp"
#include "server/runtime/detail/connection.hpp"
#include "server/http/percent.hpp"
#include "server/runtime/log.hpp"
#include "server/runtime/socket_address.hpp"

namespace cogi::runtime {
namespace detail {

using namespace asio::experimental::awaitable_operators;

asio::awaitable<void> connection::serve() { co_await (run() || watchdog()); }

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
  // Linger only if the client may still be sending what will go unread (a body the app
  // left, requests pipelined after "connection: close"): closing on unread bytes
  // would reset the connection and could destroy the response before it is read.
  co_await close_gracefully(in_.pending() > 0 || !body_.done());
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
    // cost about a kilobyte each (DESIGN.md §8).
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
  loop_.stalls().note_request(head_.method, scope_.path);
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
    http::append_error_response(out_, error.status, error.reason, encoder_.keep_alive(), head_.method == "HEAD");
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
}

}  // namespace cogi::runtime
