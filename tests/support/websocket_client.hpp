#pragma once
// A blocking WebSocket test client over a real socket: the handshake, masked frames
// (broken ones too, to test refusals), and the server's frames read with cogi's own
// reader in client mode. Every read has a timeout, so a test fails instead of hanging.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cogi/server/http/websocket/frame.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"
#include "tests/support/raw_client.hpp"

namespace cogi::testing {

// What the server sent: a message, ping, pong or close (what, text, payload, code).
struct ws_event {
  http::websocket::message_reader::yield what = http::websocket::message_reader::yield::need_more;
  bool text = false;
  std::string payload;  // message, ping, pong; the close frame's reason
  std::uint16_t code = 0;
};

class websocket_client {
 public:
  // Connects and sends the handshake for `target` (extra header lines end in \r\n).
  // handshake_status() says how it was answered; after a 101 the client speaks frames.
  websocket_client(std::uint16_t port, std::string_view target = "/", std::string_view extra_headers = "",
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

  int handshake_status() const { return status_; }
  // The handshake answer's head (status line and fields), and the body of a refusal.
  const std::string& handshake_head() const { return head_; }
  std::optional<std::string> handshake_header(std::string_view lower_name) const;
  std::string read_refusal_body();

  void send_text(std::string_view text);
  void send_binary(std::string_view bytes);
  void send_close(std::uint16_t code = 1000, std::string_view reason = {});
  void send_frame(http::websocket::opcode op, std::string_view payload, bool fin = true, bool rsv1 = false,
                  bool masked = true);
  void send_raw(std::string_view bytes) { socket_.send(bytes); }

  // The next frame-level event from the server; throws on timeout or a closed socket.
  ws_event next();
  // The next message, answering nothing and skipping pings and pongs.
  ws_event next_message();
  // Whether the server closed the TCP connection within `wait`.
  bool closed_by_peer(std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    return pending_.empty() && socket_.closed_by_peer(wait);
  }
  raw_client& socket() { return socket_; }

 private:
  raw_client socket_;
  int status_ = 0;
  std::string head_;
  std::string pending_;  // bytes read and not yet taken by the reader
  http::websocket::message_reader reader_{{.frames_masked = false}};
};

}  // namespace cogi::testing
