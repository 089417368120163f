#pragma once
// One WebSocket connection's side of the contract, without a socket: the websocket
// scope, the events receive() yields and the rules send() enforces, and the bytes both
// ways. The runtime (server/runtime/websocket_connection.cpp) drives it with a socket;
// the test client drives it in memory with a client's frames. So an app meets the same
// rules, byte for byte, in its tests and in production.
//
// The life of a session (asgiref specs/www.rst, RFC 6455 §7):
//  - connecting: receive() yields websocket_connect. The app answers with
//    websocket_accept (the 101 goes out), websocket_close (a 403) or a response of its
//    own (response_start, response_body: a denial); returning without an answer is a
//    403, failing is a 500.
//  - open: the driver feeds the client's bytes to on_input(): messages queue for
//    receive(), pings are answered, a close frame is answered and ends the session.
//  - closing: we sent a close frame (the app's websocket_close, the app returning, a
//    shutdown) and wait for the client's.
//  - closed: receive() yields the queued messages, then websocket_disconnect with the
//    code; send() throws client_disconnected. The driver writes what output() holds and
//    closes the socket.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cogi/server/contract/events.hpp"
#include "cogi/server/contract/scope.hpp"
#include "cogi/server/http/request_scope.hpp"
#include "cogi/server/http/response_encoder.hpp"
#include "cogi/server/http/websocket/handshake.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"
#include "cogi/server/http/websocket/permessage_deflate.hpp"
#include "cogi/server/http/websocket/settings.hpp"

namespace cogi::http::websocket {

class session {
 public:
  enum class state { connecting, open, closing, closed };

  // `handshake` (checked by check_handshake()), the head's header list and the bytes
  // the head's views point into stay valid for the session; `head` itself need not.
  session(const request_head& head, const handshake_request& handshake, const exchange_site& site,
          const settings& config);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  cogi::scope& scope() { return scope_; }
  state current_state() const { return state_; }

  // ---- receive() ------------------------------------------------------------------

  enum class receive_action {
    deliver,  // return step.event
    wait,     // nothing yet: wait for on_input() or the connection's end, then ask again
  };
  struct receive_step {
    receive_action action = receive_action::deliver;
    receive_event event;  // views valid until the next next_receive()
  };
  // Throws protocol_error for receive() after connect and before an answer.
  receive_step next_receive();

  // ---- send() ---------------------------------------------------------------------

  // Checks `event` against the contract and appends its bytes to output(). Throws
  // protocol_error for an event out of order or malformed (text that is not UTF-8, a
  // close code that may not be sent, a subprotocol the client did not offer), and
  // client_disconnected once the session is closed or refused.
  void send(const send_event& event);

  // ---- the client's bytes ---------------------------------------------------------

  // Whether the driver should read: the session is open or closing and fewer than
  // max_queued_messages wait for receive().
  bool wants_input() const;
  // Reads frames from `pending` (unmasking in place) until it needs more bytes, the
  // queue is full, or the session closes. Returns the bytes consumed.
  std::size_t on_input(std::span<char> pending);
  // The socket ended or failed: the session is closed (1006, unless a close had been
  // agreed).
  void connection_lost();
  // The driver has nothing to read or write: while no message waits or is handed out,
  // the ring of received messages and the output's spare buffer are given back, so that
  // an idle connection holds no buffers (the next message allocates them again).
  void release_idle_buffers();

  // ---- the server's own doings -----------------------------------------------------

  // Closes from our side: a shutdown (1001, 1012), a ping unanswered (1011), a slow
  // client (1008). Open: a close frame goes out and the session waits for the client's;
  // connecting: a 503 refuses the handshake.
  void close(std::uint16_t code, std::string_view reason);
  // Appends a ping (keepalive); pongs_received() counts the answers.
  void ping(std::string_view payload);
  std::uint64_t pongs_received() const { return pongs_; }
  // Data messages in and out so far (idle detection, metrics).
  std::uint64_t messages_received() const { return received_; }
  std::uint64_t messages_sent() const { return sent_; }

  // The app has returned (`failed`: with an exception). Answers for it: a 403 (500)
  // when it never answered the handshake, a close frame 1000 (1011) when it left the
  // connection open.
  void conclude(bool failed);

  // ---- output ---------------------------------------------------------------------

  // Bytes to write, in order: the 101 or refusal, frames. The driver erases what it
  // wrote.
  std::string& output() { return out_; }
  std::size_t output_size() const { return out_.size(); }
  // The handshake was refused: output() holds an HTTP answer, then the connection closes.
  bool refused() const { return refused_; }
  // Whether the refusal's answer is complete (a denial response can be cut short).
  bool refusal_complete() const { return !refused_ || refusal_complete_; }
  // The HTTP status of the handshake's answer: 101, the refusal's, 0 before.
  int handshake_status() const { return handshake_status_; }
  // The close code the app sees (and, for our close, sent).
  std::uint16_t close_code() const { return close_code_; }
  // What the permessage-deflate agreement costs this connection (0 without one).
  std::size_t compression_memory() const;

 private:
  void accept(const websocket_accept& event);
  void refuse(int status, std::string_view text);
  void send_message(const websocket_send& event);
  void send_close(std::uint16_t code, std::string_view reason);
  void append_frame(opcode op, std::string_view payload, bool compressed = false);
  void end(std::uint16_t code, std::string_view reason);
  bool queue_full() const { return queued_ >= config_.max_queued_messages; }
  void grow_queue();

  // What only some connections need is held by pointer: every idle connection carries
  // this object (docs/websocket.md, memory).
  struct compression {
    compression(const deflate_agreement& agreed, const deflate_settings& settings)
        : agreed(agreed), codec(agreed, settings) {}
    deflate_agreement agreed;
    deflate_codec codec;
    std::string compressed;  // a message's compressed form, reused
  };

  const handshake_request* handshake_;
  const settings& config_;
  cogi::scope scope_;
  scope_paths paths_;

  state state_ = state::connecting;
  bool connect_delivered_ = false;
  bool refused_ = false;
  bool refusal_complete_ = false;
  int handshake_status_ = 0;
  int version_minor_;  // the handshake request's, for a refusal's status line
  std::unique_ptr<response_encoder> denial_;  // an app's own refusal, once it starts

  std::unique_ptr<compression> deflate_;  // when permessage-deflate was agreed
  message_reader reader_;

  // Received messages for receive(): a ring of reused buffers. The one handed out last
  // stays until the next next_receive().
  struct queued_message {
    std::string data;
    bool text = false;
  };
  std::vector<queued_message> queue_;
  std::size_t queue_head_ = 0;
  std::size_t queued_ = 0;
  bool release_delivered_ = false;

  std::uint16_t close_code_ = 0;
  std::string close_reason_;
  bool disconnect_delivered_ = false;
  std::uint64_t pongs_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t sent_ = 0;

  std::string out_;
};

}  // namespace cogi::http::websocket
