#pragma once
// websocket: a handler's view of one WebSocket connection, over the contract's
// websocket scope (Starlette's WebSocket).
//
//   app.websocket("/ws/{room}", [](cogi::websocket& ws) -> cogi::task<void> {
//     co_await ws.accept();
//     while (auto message = co_await ws.next()) {  // until the client disconnects
//       co_await ws.send_text("echo: " + message->text());
//     }
//   });
//
// receive_text(), receive_bytes() and receive_json() throw websocket_disconnect when the
// client has gone (the framework ends the handler quietly then); next() returns nullopt
// instead. A message of the other kind than the one asked for closes the connection
// with 1003, invalid JSON with 1007. A handler that returns without closing closes with
// 1000; one that throws, with 1011 (or a 500 before accept).
//
// Lifetime: a websocket and every view it hands out live for the handler's call; a
// message's text lives until the next receive.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <picojson.h>

#include "cogi/framework/path_params.hpp"
#include "cogi/framework/task.hpp"
#include "cogi/framework/url_encoded.hpp"
#include "cogi/server/contract/app.hpp"

namespace cogi {

// The client has gone (websocket.disconnect): its close code (1005 if it gave none,
// 1006 if it gave no close frame at all) and reason.
class websocket_disconnect : public std::runtime_error {
 public:
  websocket_disconnect(std::uint16_t code, std::string reason);
  std::uint16_t code() const { return code_; }
  const std::string& reason() const { return reason_; }

 private:
  std::uint16_t code_;
  std::string reason_;
};

// One message as received: text (UTF-8, checked by the server) or bytes.
class websocket_message {
 public:
  websocket_message(bool is_text, std::string_view data) : text_(is_text), data_(data) {}
  bool is_text() const { return text_; }
  bool is_binary() const { return !text_; }
  // The payload, whichever kind it is; valid until the next receive.
  std::string_view data() const { return data_; }
  std::string text() const { return std::string(data_); }

 private:
  bool text_;
  std::string_view data_;
};

class websocket {
 public:
  enum class state { connecting, connected, disconnected };

  websocket(cogi::scope& scope, receive_fn receive, send_fn send);
  websocket(const websocket&) = delete;
  websocket& operator=(const websocket&) = delete;

  cogi::scope& scope() { return scope_; }
  std::string_view path() const { return scope_.path; }
  const cogi::path_params& path_params() const { return path_params_; }
  void set_path_params(const cogi::path_params& params) { path_params_ = params; }
  const url_encoded& query();
  // The first value of a request header (any case), or an empty view.
  std::string_view header(std::string_view name) const;
  const address* client() const { return scope_.client; }
  // The subprotocols the client offered, in its order of preference.
  std::span<const std::string_view> subprotocols() const { return scope_.subprotocols; }
  state current_state() const { return state_; }

  // Completes the handshake, choosing one of subprotocols() (or none) and adding
  // response headers. Receives the connect event first.
  task<void> accept(std::string_view subprotocol = {}, std::span<const header_field> headers = {});
  // Refuses the handshake (a 403) before accept; after, closes with `code`.
  task<void> close(std::uint16_t code = 1000, std::string_view reason = {});

  // The next message, or nullopt once the client has gone.
  task<std::optional<websocket_message>> next();
  task<std::string> receive_text();
  task<std::string> receive_bytes();
  // A text or binary message parsed as JSON (strictly, see json_reader.hpp).
  task<picojson::value> receive_json();

  task<void> send_text(std::string_view text);
  task<void> send_bytes(std::string_view bytes);
  // Written as a text message.
  task<void> send_json(const picojson::value& value);

  // The close code and reason once disconnected.
  std::uint16_t close_code() const { return close_code_; }
  const std::string& close_reason() const { return close_reason_; }

 private:
  task<void> receive_connect();
  // The next message of the kind asked for; closes with 1003 and throws otherwise.
  task<std::string> receive_kind(bool text);
  [[noreturn]] void throw_disconnect() const;

  cogi::scope& scope_;
  receive_fn receive_;
  send_fn send_;
  cogi::path_params path_params_;
  std::unique_ptr<url_encoded> query_;  // parsed on first use
  state state_ = state::connecting;
  bool connect_received_ = false;
  std::uint16_t close_code_ = 0;
  std::string close_reason_;
};

// A WebSocket route's handler.
using websocket_handler_fn = std::function<task<void>(websocket&)>;

}  // namespace cogi
