#include "cogi/framework/websocket.hpp"

#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/json_writer.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {

websocket_disconnect::websocket_disconnect(std::uint16_t code, std::string reason)
    : std::runtime_error("websocket disconnected with code " + std::to_string(code)),
      code_(code),
      reason_(std::move(reason)) {}

websocket::websocket(cogi::scope& scope, receive_fn receive, send_fn send)
    : scope_(scope), receive_(receive), send_(send) {}

const url_encoded& websocket::query() {
  if (!query_) query_ = std::make_unique<url_encoded>(scope_.query_string);
  return *query_;
}

std::string_view websocket::header(std::string_view name) const {
  for (const auto& h : scope_.headers)
    if (http::iequals(h.name, name)) return h.value;
  return {};
}

task<void> websocket::receive_connect() {
  if (connect_received_) co_return;
  connect_received_ = true;
  const receive_event event = co_await receive_();
  if (event.type == receive_type::websocket_disconnect) {
    state_ = state::disconnected;
    close_code_ = event.code;
    throw_disconnect();
  }
}

task<void> websocket::accept(std::string_view subprotocol, std::span<const header_field> headers) {
  co_await receive_connect();
  const websocket_accept event{.subprotocol = subprotocol, .headers = headers};
  co_await send_(event);
  state_ = state::connected;
}

task<void> websocket::close(std::uint16_t code, std::string_view reason) {
  if (state_ == state::disconnected) co_return;
  const websocket_close event{.code = code, .reason = reason};
  co_await send_(event);
  // Before accept the refusal ends the connection; after, the client's answer comes as
  // the disconnect (which next() and the receive_*() calls report).
  if (state_ == state::connecting) state_ = state::disconnected;
}

task<std::optional<websocket_message>> websocket::next() {
  if (state_ == state::disconnected) co_return std::nullopt;
  const receive_event event = co_await receive_();
  if (event.type == receive_type::websocket_receive) co_return websocket_message(event.text, event.body);
  state_ = state::disconnected;
  close_code_ = event.code;
  close_reason_.assign(event.reason);
  co_return std::nullopt;
}

void websocket::throw_disconnect() const { throw websocket_disconnect(close_code_, close_reason_); }

task<std::string> websocket::receive_kind(bool text) {
  const std::optional<websocket_message> message = co_await next();
  if (!message) throw_disconnect();
  if (message->is_text() != text) {
    // Starlette fails with a KeyError here; the client learns why, with RFC 6455's code
    // for data of a kind the endpoint cannot accept.
    co_await close(1003, text ? "expected a text message" : "expected a binary message");
    throw websocket_disconnect(1003, text ? "expected a text message" : "expected a binary message");
  }
  co_return std::string(message->data());
}

task<std::string> websocket::receive_text() { co_return co_await receive_kind(true); }
task<std::string> websocket::receive_bytes() { co_return co_await receive_kind(false); }

task<picojson::value> websocket::receive_json() {
  const std::optional<websocket_message> message = co_await next();
  if (!message) throw_disconnect();
  std::optional<picojson::value> value;
  try {
    value = read_json(message->data());
  } catch (const json_syntax_error&) {
  }
  if (!value) {
    co_await close(1007, "invalid JSON");
    throw websocket_disconnect(1007, "invalid JSON");
  }
  co_return std::move(*value);
}

task<void> websocket::send_text(std::string_view text) {
  websocket_send event;
  event.text = text;
  co_await send_(event);
}

task<void> websocket::send_bytes(std::string_view bytes) {
  websocket_send event;
  event.bytes = bytes;
  co_await send_(event);
}

task<void> websocket::send_json(const picojson::value& value) {
  const std::string text = to_json(value);
  co_await send_text(text);
}

}  // namespace cogi
