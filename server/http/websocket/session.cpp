#include "cogi/server/http/websocket/session.hpp"

#include <algorithm>
#include <variant>

#include "cogi/server/contract/errors.hpp"
#include "cogi/server/contract/utf8.hpp"
#include "cogi/server/http/date_cache.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi::http::websocket {
namespace {

constexpr std::string_view crlf = "\r\n";

// The handshake's own response fields: the server writes them, an app may not.
bool is_handshake_field(std::string_view name) {
  for (std::string_view own : {"upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol",
                               "sec-websocket-extensions", "content-length", "transfer-encoding"})
    if (iequals(name, own)) return true;
  return false;
}

// Buffers of received messages above this are given back once the queue drains, so
// that an idle connection keeps no large buffer.
constexpr std::size_t kept_buffer_bytes = 1024;

}  // namespace

session::session(const request_head& head, const handshake_request& handshake, const exchange_site& site,
                 const settings& config)
    : handshake_(&handshake), config_(config), version_minor_(head.version_minor) {
  scope_.type = scope_type::websocket;
  scope_.scheme = "ws";
  fill_request_scope(head, site, scope_, paths_);
  scope_.subprotocols = handshake.subprotocols;
  if (const auto agreed = negotiate_deflate(handshake.extensions, config.deflate))
    deflate_ = std::make_unique<compression>(*agreed, config.deflate);
  reader_ = message_reader({.max_message_bytes = config.max_message_bytes,
                            .frames_masked = true,
                            .inflater = deflate_ ? &deflate_->codec : nullptr});
}

session::~session() = default;

std::size_t session::compression_memory() const {
  return deflate_ ? memory_per_connection(deflate_->agreed, config_.deflate) : 0;
}

// ---- receive ------------------------------------------------------------------------

session::receive_step session::next_receive() {
  if (!connect_delivered_) {
    connect_delivered_ = true;
    return {receive_action::deliver, {.type = receive_type::websocket_connect}};
  }
  if (state_ == state::connecting && !refused_) throw protocol_error("websocket: receive() before accepting or refusing");
  if (release_delivered_) {
    // The message handed out last is done with: its buffer goes back to the ring.
    release_delivered_ = false;
    queue_head_ = (queue_head_ + 1) % queue_.size();
    --queued_;
    if (queued_ == 0)
      for (auto& slot : queue_)
        if (slot.data.capacity() > kept_buffer_bytes) std::string().swap(slot.data);
  }
  if (queued_ > 0) {
    const queued_message& message = queue_[queue_head_];
    release_delivered_ = true;
    return {receive_action::deliver, {.type = receive_type::websocket_receive, .body = message.data, .text = message.text}};
  }
  if (state_ == state::closed || refused_) {
    disconnect_delivered_ = true;
    const std::uint16_t code = refused_ && close_code_ == 0 ? close_code::abnormal : close_code_;
    return {receive_action::deliver,
            {.type = receive_type::websocket_disconnect, .code = code, .reason = close_reason_}};
  }
  return {receive_action::wait, {}};
}

// ---- send ---------------------------------------------------------------------------

void session::send(const send_event& event) {
  // Closed before the app answered (the client left, the server timed the handshake
  // out) or after: nothing more can reach the client.
  if (state_ == state::closed && !std::holds_alternative<response_body>(event)) throw client_disconnected();
  if (const auto* accepted = std::get_if<websocket_accept>(&event)) return accept(*accepted);
  if (const auto* message = std::get_if<websocket_send>(&event)) return send_message(*message);
  if (const auto* closing = std::get_if<websocket_close>(&event)) {
    if (state_ == state::connecting && !refused_) return refuse(403, "Forbidden\n");
    if (refused_) throw protocol_error("websocket.close after the handshake was refused");
    if (state_ != state::open) throw client_disconnected();
    if (!is_sendable_close_code(closing->code) || closing->code == 1010)
      throw protocol_error("websocket.close with a code that may not be sent");
    return send_close(closing->code, closing->reason);
  }
  // A denial: the app answers the handshake with a response of its own (ASGI's
  // websocket.http.response.*).
  if (const auto* start = std::get_if<response_start>(&event)) {
    if (state_ != state::connecting || refused_) throw protocol_error("websocket: a response after the handshake was answered");
    connect_delivered_ = true;
    refused_ = true;
    denial_ = std::make_unique<response_encoder>();
    denial_->reset({.version_minor = version_minor_, .head_request = false, .keep_alive = false});
    denial_->start(start->status, start->headers);
    handshake_status_ = start->status;
    return;
  }
  if (const auto* body = std::get_if<response_body>(&event)) {
    if (!refused_ || !denial_ || !denial_->started())
      throw protocol_error("websocket: a response body without response_start");
    if (denial_->finished()) throw protocol_error("websocket: the denial response is already complete");
    const auto piece = denial_->body(out_, body->body, body->more_body);
    out_.append(piece.data).append(piece.suffix);
    refusal_complete_ = denial_->finished();
    return;
  }
  throw protocol_error("websocket: a lifespan event was sent in a websocket scope");
}

void session::accept(const websocket_accept& event) {
  if (refused_ || state_ != state::connecting) throw protocol_error("websocket.accept sent twice or after a refusal");
  if (!event.subprotocol.empty()) {
    bool offered = false;
    for (const auto protocol : handshake_->subprotocols) offered = offered || protocol == event.subprotocol;
    if (!offered) throw protocol_error("websocket.accept with a subprotocol the client did not offer");
  }
  for (const auto& field : event.headers) {
    if (!is_token(field.name) || !is_safe_field_value(field.value))
      throw protocol_error("websocket.accept with an invalid header");
    if (is_handshake_field(field.name)) throw protocol_error("websocket.accept: the server writes the handshake's headers");
  }
  connect_delivered_ = true;
  out_.append("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ");
  out_.append(accept_key(handshake_->key)).append(crlf);
  if (!event.subprotocol.empty()) out_.append("sec-websocket-protocol: ").append(event.subprotocol).append(crlf);
  if (deflate_) out_.append("sec-websocket-extensions: ").append(deflate_->agreed.response_header()).append(crlf);
  bool has_date = false, has_server = false;
  for (const auto& field : event.headers) {
    has_date = has_date || iequals(field.name, "date");
    has_server = has_server || iequals(field.name, "server");
    out_.append(field.name).append(": ").append(field.value).append(crlf);
  }
  if (!has_date && !has_server) {
    out_.append(date_and_server_lines());
  } else {
    if (!has_date) out_.append("date: ").append(http_date_now()).append(crlf);
    if (!has_server) out_.append("server: cogi\r\n");
  }
  out_.append(crlf);
  handshake_status_ = 101;
  state_ = state::open;
}

void session::refuse(int status, std::string_view text) {
  connect_delivered_ = true;
  refused_ = true;
  refusal_complete_ = true;
  handshake_status_ = status;
  append_error_response(out_, status, text);
}

void session::send_message(const websocket_send& event) {
  if (event.text.has_value() == event.bytes.has_value())
    throw protocol_error("websocket.send needs exactly one of text and bytes");
  if (state_ == state::connecting && !refused_) throw protocol_error("websocket.send before websocket.accept");
  if (refused_) throw protocol_error("websocket.send after the handshake was refused");
  if (state_ != state::open) throw client_disconnected();
  const std::string_view payload = event.text ? *event.text : *event.bytes;
  if (event.text && !is_valid_utf8(payload)) throw protocol_error("websocket.send: text that is not UTF-8");
  const opcode op = event.text ? opcode::text : opcode::binary;
  ++sent_;
  if (deflate_ && deflate_->codec.should_compress(payload.size())) {
    std::string& compressed = deflate_->compressed;
    deflate_->codec.compress(payload, compressed);
    append_frame(op, compressed, true);
    if (compressed.capacity() > kept_buffer_bytes) std::string().swap(compressed);
    return;
  }
  append_frame(op, payload);
}

void session::append_frame(opcode op, std::string_view payload, bool compressed) {
  char header[max_frame_header];
  const std::size_t size = write_frame_header({.op = op, .rsv1 = compressed, .length = payload.size()}, header);
  out_.append(header, size).append(payload);
}

void session::send_close(std::uint16_t code, std::string_view reason) {
  char body[max_control_payload];
  append_frame(opcode::close, std::string_view(body, write_close_payload(code, reason, body)));
  close_code_ = code;
  close_reason_.assign(reason.substr(0, max_close_reason));
  state_ = state::closing;
}

void session::end(std::uint16_t code, std::string_view reason) {
  state_ = state::closed;
  if (close_code_ == 0) {
    close_code_ = code;
    close_reason_.assign(reason);
  }
}

// ---- the client's bytes ---------------------------------------------------------

void session::release_idle_buffers() {
  if (queued_ == 0 && !release_delivered_) {
    std::vector<queued_message>().swap(queue_);
    queue_head_ = 0;
  }
  if (out_.empty()) std::string().swap(out_);
}

void session::grow_queue() {
  // Doubled up to the limit (wants_input() stops reading there), in order from the head.
  std::vector<queued_message> grown(std::min(std::max<std::size_t>(queue_.size() * 2, 2), config_.max_queued_messages));
  for (std::size_t i = 0; i < queued_; ++i) grown[i] = std::move(queue_[(queue_head_ + i) % queue_.size()]);
  queue_ = std::move(grown);
  queue_head_ = 0;
}

bool session::wants_input() const {
  return (state_ == state::open || state_ == state::closing) && !queue_full();
}

std::size_t session::on_input(std::span<char> pending) {
  using yield = message_reader::yield;
  std::size_t consumed = 0;
  while (wants_input()) {
    const auto step = reader_.next(pending.subspan(consumed));
    consumed += step.consumed;
    switch (step.what) {
      case yield::need_more:
        return consumed;
      case yield::message: {
        if (state_ == state::closing) break;  // after our close, messages are dropped (§5.5.1)
        ++received_;
        if (queued_ == queue_.size()) grow_queue();
        queued_message& slot = queue_[(queue_head_ + queued_) % queue_.size()];
        slot.data.assign(step.payload);
        slot.text = step.text;
        ++queued_;
        break;
      }
      case yield::ping:
        if (state_ == state::open) append_frame(opcode::pong, step.payload);
        break;
      case yield::pong:
        ++pongs_;
        break;
      case yield::close:
        // §5.5.1: answer with a close frame echoing the code, unless ours went first.
        if (state_ == state::open) {
          char body[max_control_payload];
          append_frame(opcode::close, std::string_view(body, write_close_payload(step.code, {}, body)));
        }
        end(step.code, step.reason);
        return consumed;
      case yield::fail:
        // §7.1.7: fail the connection: our close frame says why, then the socket closes.
        if (state_ == state::open) {
          char body[max_control_payload];
          append_frame(opcode::close, std::string_view(body, write_close_payload(step.code, step.reason, body)));
        }
        close_code_ = 0;
        end(step.code, step.reason);
        return consumed;
    }
  }
  return consumed;
}

void session::connection_lost() {
  if (state_ == state::closed) return;
  // The app asked to close and the client went before answering: the close stands.
  end(state_ == state::closing ? close_code_ : close_code::abnormal, {});
}

// ---- the server's own doings ----------------------------------------------------

void session::close(std::uint16_t code, std::string_view reason) {
  if (state_ == state::connecting && !refused_) {
    refuse(503, "Service Unavailable\n");
    end(close_code::abnormal, {});  // the app's answer, if it comes, finds the session closed
    return;
  }
  if (state_ == state::open) send_close(code, reason);
}

void session::ping(std::string_view payload) {
  if (state_ == state::open) append_frame(opcode::ping, payload.substr(0, max_control_payload));
}

void session::conclude(bool failed) {
  if (refused_ && !refusal_complete_) {
    // The app's own refusal was left unfinished: a 500 if nothing of it went out, else
    // the closing connection ends it.
    if (!denial_ || !denial_->body_started()) append_error_response(out_, 500, "Internal Server Error\n");
    refusal_complete_ = true;
    return;
  }
  if (state_ == state::connecting && !refused_) return refuse(failed ? 500 : 403, failed ? "Internal Server Error\n" : "Forbidden\n");
  if (state_ == state::open) send_close(failed ? close_code::internal_error : close_code::normal, {});
}

}  // namespace cogi::http::websocket
