// receive() and send() for the request a connection is serving: the contract's server
// side (DESIGN.md §2): body pieces with flow control and 100-continue, then disconnect;
// response events framed by the encoder, buffered or written with backpressure.

#include "server/runtime/as_result.hpp"
#include "server/runtime/detail/connection.hpp"

namespace cogi::runtime::detail {

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
    if (co_await read_body_bytes() == 0) {
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
      disconnected_ = true;
      break;
    }
    in_.commit(n);
  }
}

bool connection::unread_body_is_drainable() const {
  // Not if the client still waits for a 100 Continue it never got (it may never send the
  // body), nor if more than max_drain_bytes of Content-Length body remain.
  if (head_.expect_continue && !continue_sent_) return false;
  return body_.chunked() || body_.remaining() <= max_drain_bytes;
}

asio::awaitable<std::size_t> connection::read_body_bytes() {
  deadline_ = clock::now() + limits_.body_timeout;  // an idle gap, not the whole body
  const std::size_t received = committed(co_await read_some(4096, body_start_));
  deadline_ = clock::time_point::max();
  co_return received;
}

asio::awaitable<bool> connection::drain_unread_body() {
  if (!unread_body_is_drainable()) co_return false;
  const std::uint64_t start = body_.received();
  for (;;) {
    const auto result = body_.next(in_.pending_view());
    in_.consume(result.consumed);
    if (result.state == http::body_reader::status::done) co_return true;
    if (result.state == http::body_reader::status::rejected) co_return false;
    if (body_.received() - start > max_drain_bytes) co_return false;
    if (result.state == http::body_reader::status::need_more && co_await read_body_bytes() == 0) co_return false;
  }
}

// ---- send -----------------------------------------------------------------------

asio::awaitable<void> connection::send(const send_event& event) {
  if (const auto* start = std::get_if<response_start>(&event)) {
    if (encoder_.started()) throw protocol_error("http.response.start sent twice");
    if (closed_ || disconnected_) throw client_disconnected();
    // Say "connection: close" now if this response will be the last: the server is
    // draining, or a body the app leaves unread cannot be drained cheaply.
    if (loop_.draining() || (!body_.done() && !unread_body_is_drainable())) encoder_.close_after();
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
    // Streaming pieces go out now; a final piece waits in out_ and is written after the
    // app returns (before the next app runs, or before the connection next waits).
    if (body->more_body || out_.size() >= high_water_mark) written = co_await flush();
  }
  if (!written) throw client_disconnected();
}

}  // namespace cogi::runtime::detail
