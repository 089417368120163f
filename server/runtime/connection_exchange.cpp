// receive() and send() for the request a connection is serving: the I/O around the
// contract's rules, which live in http::exchange (shared with the test client). Body
// pieces are read only as the app asks for them (flow control); responses are buffered
// or written with backpressure.

#include "server/runtime/as_result.hpp"
#include "server/runtime/detail/connection.hpp"

namespace cogi::runtime::detail {

// ---- receive --------------------------------------------------------------------

asio::awaitable<receive_event> connection::receive() {
  using action = http::exchange::receive_action;
  for (;;) {
    const auto step = exchange_.next_receive(in_.pending_view());
    in_.consume(step.consumed);
    switch (step.action) {
      case action::deliver:
        co_return step.event;
      case action::send_continue:
        out_.append(http::continue_response);
        co_await flush();  // a failed write has told the exchange
        break;
      case action::read_more:
        co_await read_body_bytes();  // nothing read: the exchange knows the client left
        break;
      case action::await_completion:
        co_await wait_for_disconnect();
        co_return http::exchange::disconnect_event();
    }
  }
}

asio::awaitable<void> connection::wait_for_disconnect() {
  // Keep reading (pipelined bytes are kept for later) until the peer closes or the
  // response finishes; with the buffer full, only the connection closing ends the wait.
  while (!closed_ && !disconnected_ && !exchange_.response_complete()) {
    if (in_.free_size() == 0) {
      // Nothing more can be read: only close() (which cancels this wait) ends it.
      disconnect_wait_.expires_at(asio::steady_timer::time_point::max());
      co_await disconnect_wait_.async_wait(as_result);
      break;
    }
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()), as_result);
    // Cancelled (the app gave up waiting, e.g. async::cancel_on_disconnect finishing): the
    // client is still there.
    if (ec == asio::error::operation_aborted && !closed_) break;
    if (ec) {
      client_left();
      break;
    }
    in_.commit(n);
  }
}

asio::awaitable<std::size_t> connection::read_body_bytes() {
  deadline_ = clock::now() + limits_.body_timeout;  // an idle gap, not the whole body
  const std::size_t received = committed(co_await read_some(4096, body_start_));
  deadline_ = clock::time_point::max();
  if (received == 0) client_left();
  co_return received;
}

asio::awaitable<bool> connection::drain_unread_body() {
  for (;;) {
    const auto step = exchange_.drain_unread_body(in_.pending_view());
    in_.consume(step.consumed);
    if (step.action == http::exchange::receive_action::deliver) co_return step.event.type == receive_type::http_request;
    if (co_await read_body_bytes() == 0) co_return false;
  }
}

// ---- send -----------------------------------------------------------------------

asio::awaitable<void> connection::send(const send_event& event) {
  const auto piece = exchange_.send(event, out_, loop_.draining());
  if (std::holds_alternative<response_start>(event)) co_return;  // the head waits for the body
  const bool more_body = std::get<response_body>(event).more_body;
  bool written = true;
  if (piece.data.size() >= high_water_mark) {
    // Large piece: gather-write it from the app's memory instead of copying it.
    written = co_await write(out_, piece.data, piece.suffix);
    out_.clear();
  } else {
    out_.append(piece.data).append(piece.suffix);
    // Streaming pieces go out now; a final piece waits in out_ and is written after the
    // app returns (before the next app runs, or before the connection next waits).
    if (more_body || out_.size() >= high_water_mark) written = co_await flush();
  }
  if (!written) throw client_disconnected();
}

}  // namespace cogi::runtime::detail
