#include "tests/support/websocket_client.hpp"

#include <stdexcept>

#include "cogi/server/http/validation.hpp"

namespace cogi::testing {

using http::websocket::message_reader;
using http::websocket::opcode;

websocket_client::websocket_client(std::uint16_t port, std::string_view target, std::string_view extra_headers,
                                   std::chrono::milliseconds timeout)
    : socket_(port, timeout) {
  std::string request = "GET " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  request.append(extra_headers).append("\r\n");
  socket_.send(request);
  std::string received = socket_.read_until_contains("\r\n\r\n");
  const auto end = received.find("\r\n\r\n") + 4;
  head_ = received.substr(0, end);
  pending_ = received.substr(end);
  if (head_.size() < 12 || !head_.starts_with("HTTP/1.1 ")) throw std::runtime_error("not an HTTP answer: " + head_);
  status_ = std::stoi(head_.substr(9, 3));
}

std::optional<std::string> websocket_client::handshake_header(std::string_view lower_name) const {
  std::string_view rest(head_);
  rest.remove_prefix(rest.find("\r\n") + 2);
  while (!rest.empty()) {
    const auto line_end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, line_end);
    rest.remove_prefix(line_end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (http::iequals(line.substr(0, colon), lower_name)) return std::string(http::trim_ows(line.substr(colon + 1)));
  }
  return std::nullopt;
}

std::string websocket_client::read_refusal_body() { return pending_ + socket_.read_until_close(); }

void websocket_client::send_frame(opcode op, std::string_view payload, bool fin, bool rsv1, bool masked) {
  static constexpr http::websocket::masking_key key{0x12, 0x9a, 0xe7, 0x41};
  http::websocket::frame_header header{.op = op, .fin = fin, .rsv1 = rsv1, .length = payload.size()};
  if (masked) header.mask = key;
  char head[http::websocket::max_frame_header];
  std::string frame(head, http::websocket::write_frame_header(header, head));
  const std::size_t body_at = frame.size();
  frame.append(payload);
  if (masked) http::websocket::apply_mask(frame.data() + body_at, payload.size(), key);
  socket_.send(frame);
}

void websocket_client::send_text(std::string_view text) { send_frame(opcode::text, text); }
void websocket_client::send_binary(std::string_view bytes) { send_frame(opcode::binary, bytes); }

void websocket_client::send_close(std::uint16_t code, std::string_view reason) {
  char body[http::websocket::max_control_payload];
  send_frame(opcode::close, std::string_view(body, http::websocket::write_close_payload(code, reason, body)));
}

ws_event websocket_client::next() {
  for (;;) {
    const auto step = reader_.next(pending_);
    if (step.what != message_reader::yield::need_more) {
      ws_event event{step.what, step.text,
                     std::string(step.what == message_reader::yield::close ? step.reason : step.payload), step.code};
      pending_.erase(0, step.consumed);
      if (step.what == message_reader::yield::fail)
        throw std::runtime_error("the server sent a broken frame: " + std::string(step.reason));
      return event;
    }
    pending_.erase(0, step.consumed);
    const std::string more = socket_.read_some();
    if (more.empty()) throw std::runtime_error("no frame from the server in time (or it closed)");
    pending_ += more;
  }
}

ws_event websocket_client::next_message() {
  for (;;) {
    ws_event event = next();
    if (event.what != message_reader::yield::ping && event.what != message_reader::yield::pong) return event;
  }
}

}  // namespace cogi::testing
