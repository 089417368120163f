#include "cogi/server/http/exchange.hpp"

#include <variant>

#include "cogi/server/contract/errors.hpp"

namespace cogi::http {

void exchange::begin(const request_head& head, const exchange_site& site, bool keep_alive) {
  head_ = &head;
  body_.reset(head, site.limits->max_body_bytes, site.limits->max_header_bytes);
  body_error_.reset();
  continue_sent_ = false;
  final_body_delivered_ = false;
  client_gone_ = false;
  draining_body_ = false;
  encoder_.reset({.version_minor = head.version_minor,
                  .head_request = head.method == "HEAD",
                  .keep_alive = keep_alive && head.keep_alive});
  build_scope(site);
}

void exchange::build_scope(const exchange_site& site) {
  scope_.type = scope_type::http;
  scope_.scheme = "http";
  fill_request_scope(*head_, site, scope_, paths_);
  report_ = {};
  server_answered_ = false;
  scope_.report = &report_;
}

exchange::receive_step exchange::next_receive(std::string_view pending) {
  if (disconnected()) return {receive_action::deliver, 0, disconnect_event()};
  if (body_.done()) {
    if (!final_body_delivered_) {
      final_body_delivered_ = true;  // a request without a body still gets one (empty) event
      return {receive_action::deliver, 0, {.type = receive_type::http_request}};
    }
    // ASGI: after the body, receive() waits until the response is done or the client goes.
    if (!encoder_.finished()) return {receive_action::await_completion, 0, {}};
    return {receive_action::deliver, 0, disconnect_event()};
  }
  if (head_->expect_continue && !continue_sent_) {
    // RFC 9110 §10.1.1: the interim response only once the app wants the body, and not
    // once the final response has begun.
    continue_sent_ = true;
    if (!encoder_.started()) return {receive_action::send_continue, 0, {}};
  }
  const auto result = body_.next(pending);
  switch (result.state) {
    case piece_status::data:
      final_body_delivered_ = body_.done();
      return {receive_action::deliver, result.consumed, {.type = receive_type::http_request, .body = result.data, .more_body = !body_.done()}};
    case piece_status::done:
      final_body_delivered_ = true;
      return {receive_action::deliver, result.consumed, {.type = receive_type::http_request}};
    case piece_status::rejected:
      body_error_ = body_.error();
      return {receive_action::deliver, result.consumed, disconnect_event()};
    case piece_status::need_more:
      break;
  }
  // Flow control: the driver reads the socket only when the app asks for more body.
  return {receive_action::read_more, result.consumed, {}};
}

response_encoder::piece exchange::send(const send_event& event, std::string& out, bool draining) {
  // After a body error the app was told http_disconnect: the server answers the error
  // itself (400 or 413) and closes, as it does when the client has gone.
  const bool ended = disconnected();
  if (const auto* start = std::get_if<response_start>(&event)) {
    if (encoder_.started()) throw protocol_error("http.response.start sent twice");
    if (ended) throw client_disconnected();
    // Say "connection: close" now if this response will be the last: the server is
    // draining, or a body the app leaves unread cannot be drained cheaply.
    if (draining || (!body_.done() && !unread_body_is_drainable())) encoder_.close_after();
    encoder_.start(start->status, start->headers);
    return {};
  }
  const auto* body = std::get_if<response_body>(&event);
  if (body == nullptr) throw protocol_error("an event that does not belong to an http scope (lifespan or websocket) was sent");
  if (ended) {
    if (!encoder_.started()) throw protocol_error("http.response.body before http.response.start");
    throw client_disconnected();
  }
  return encoder_.body(out, body->body, body->more_body);
}

exchange::ending exchange::conclude(std::string& out, bool draining) {
  if (encoder_.started() && !encoder_.body_started()) {
    // The app failed between response.start and its first body: nothing is out yet, so
    // the client can still get a proper 500 instead of a cut-off head.
    encoder_.abandon();
    encoder_.close_after();
  }
  if (!encoder_.started()) {
    // Nothing sent: a body error the app did not answer, or a failed or silent app.
    rejection_ = body_error_ ? *body_error_ : rejection{500, "Internal Server Error"};
    server_answered_ = true;
    if (body_error_ || !body_.done()) return ending::reject;
    if (draining) encoder_.close_after();
    append_error_response(out, rejection_.status, rejection_.reason, encoder_.keep_alive(),
                          head_->method == "HEAD");
    return ending::answered;
  }
  if (!encoder_.finished()) return ending::cut_off;
  return ending::complete;
}

bool exchange::unread_body_is_drainable() const {
  if (head_->expect_continue && !continue_sent_) return false;
  return body_.chunked() || body_.remaining() <= max_drain_bytes;
}

exchange::receive_step exchange::drain_unread_body(std::string_view pending) {
  constexpr receive_event drained{.type = receive_type::http_request};
  if (!draining_body_) {
    if (!unread_body_is_drainable()) return {receive_action::deliver, 0, disconnect_event()};
    draining_body_ = true;
    drain_start_ = body_.received();
  }
  std::size_t consumed = 0;
  for (;;) {
    const auto result = body_.next(pending.substr(consumed));
    consumed += result.consumed;
    if (result.state == piece_status::done) return {receive_action::deliver, consumed, drained};
    if (result.state == piece_status::rejected || body_.received() - drain_start_ > max_drain_bytes)
      return {receive_action::deliver, consumed, disconnect_event()};
    if (result.state == piece_status::need_more) return {receive_action::read_more, consumed, {}};
  }
}

}  // namespace cogi::http
