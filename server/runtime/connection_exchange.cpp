// receive() and send() for the request a connection is serving: the I/O around the
// contract's rules, which live in http::exchange (shared with the test client). Body
// pieces are read only as the app asks for them (flow control); responses are buffered
// or written with backpressure.

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/runtime/detail/connection.hpp"

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

bool connection::exchange_over() const {
  return closed_ || disconnected_ || exchange_.response_complete() ||
         (loop_.draining() && exchange_.response_started());
}

asio::awaitable<void> connection::wait_for_disconnect() {
  if (exchange_over()) co_return;
  if (!disconnect_reader_running_ && in_.free_size() > 0) {
    disconnect_reader_running_ = true;
    disconnect_reader_stopping_ = false;
    disconnect_reader_done_.clear();
    asio::co_spawn(socket_.get_executor(), read_until_disconnect(), asio::detached);
  }
  // With the read buffer full nothing more can be read: only the response completing,
  // the connection closing or a drain ends the wait.
  co_await exchange_over_.wait();
}

void connection::end_exchange_waits() {
  exchange_over_.set();
  stop_disconnect_reading();
}

void connection::stop_disconnect_reading() {
  if (!disconnect_reader_running_) return;
  // The flag for a reader that has not reached its read yet; the signal for one in it.
  disconnect_reader_stopping_ = true;
  disconnect_reader_stop_.emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> connection::read_until_disconnect() {
  while (!disconnect_reader_stopping_ && !exchange_over() && in_.free_size() > 0) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()),
                                                    asio::bind_cancellation_slot(disconnect_reader_stop_.slot(), as_result));
    if (ec == asio::error::operation_aborted) break;  // stopped: the exchange is over
    if (ec) {
      client_left();
      break;
    }
    in_.commit(n);  // pipelined requests: kept for later
    loop_.counters().bytes_received.add(n);
  }
  disconnect_reader_running_ = false;
  disconnect_reader_done_.set();
}

asio::awaitable<void> connection::stop_disconnect_reader() {
  if (!disconnect_reader_running_) co_return;
  stop_disconnect_reading();
  co_await disconnect_reader_done_.wait();
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

void connection::keep_logged_headers(const response_start& start) {
  access_logger& access_log = loop_.access_log();
  if (!access_log.enabled() || !access_log.format().wants_response_headers()) return;
  for (const auto& h : start.headers)
    if (access_log.format().wants_response_header(h.name)) record_.response_headers.emplace_back(h.name, h.value);
}

asio::awaitable<void> connection::send(const send_event& event) {
  const auto piece = exchange_.send(event, out_, loop_.draining());
  if (const auto* start = std::get_if<response_start>(&event)) {
    keep_logged_headers(*start);
    co_return;  // the head waits for the body
  }
  const bool more_body = std::get<response_body>(event).more_body;
  if (!more_body) end_exchange_waits();  // receive() now yields http_disconnect (ASGI)
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
