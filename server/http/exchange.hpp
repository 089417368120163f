#pragma once
// One request's exchange with the app: the server side of the contract
// (docs/contract.md), without a transport. Given a parsed request head it builds the
// scope; it turns the request's body bytes into http_request events, says when to send
// 100 Continue, and ends with http_disconnect; it checks the app's send() events and
// frames them through the response_encoder; and when the app returns it decides what
// the client gets. The real connection (server/runtime) and the in-process test client
// (framework/test_client) both drive this one object with their own I/O, so an app
// that passes its tests meets the same rules in production.
//
// A driver's receive() asks next_receive() for the next step, in a loop: drops
// step.consumed bytes from its input, then by step.action
//  - deliver: returns step.event;
//  - send_continue: writes continue_response (a failed write: client_gone());
//  - read_more: reads more bytes (none: client_gone());
//  - await_completion: waits until the response is complete or the client has gone,
//    and returns disconnect_event().
// server/runtime/connection_exchange.cpp and framework/test_client.cpp are the two.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cogi/server/contract/events.hpp"
#include "cogi/server/contract/scope.hpp"
#include "cogi/server/http/body_reader.hpp"
#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/rejection.hpp"
#include "cogi/server/http/request_scope.hpp"
#include "cogi/server/http/request_head.hpp"
#include "cogi/server/http/response_encoder.hpp"

namespace cogi::http {

// The bytes of the interim response receive() may ask the driver to send.
inline constexpr std::string_view continue_response = "HTTP/1.1 100 Continue\r\n\r\n";

class exchange {
 public:
  // An unread request body up to this size is read and discarded so the connection can
  // be reused; a larger one closes the connection instead.
  static constexpr std::uint64_t max_drain_bytes = 64 * 1024;

  // Starts the exchange for `head` (views into bytes the driver keeps until the next
  // begin()). `keep_alive`: whether the server would reuse the connection afterwards.
  void begin(const request_head& head, const exchange_site& site, bool keep_alive);

  cogi::scope& scope() { return scope_; }
  const request_head& head() const { return *head_; }

  // ---- receive() ------------------------------------------------------------------

  enum class receive_action { deliver, send_continue, read_more, await_completion };
  struct receive_step {
    receive_action action = receive_action::deliver;
    std::size_t consumed = 0;  // bytes of `pending` used: drop them before going on
    receive_event event;       // for deliver; its body is a view into `pending`
  };
  // The next step of receive(), given the request bytes received and not yet consumed.
  receive_step next_receive(std::string_view pending);
  static constexpr receive_event disconnect_event() {
    receive_event event;
    event.type = receive_type::http_disconnect;
    return event;
  }

  // ---- send() ---------------------------------------------------------------------

  // Checks `event` against the contract (throws protocol_error, or client_disconnected
  // once the client is gone or the request body was refused) and frames it: the head and small pieces go into `out`, a
  // large piece comes back for the driver to send after `out` (gather-write).
  // `draining`: the server is shutting down, so this response says connection: close.
  response_encoder::piece send(const send_event& event, std::string& out, bool draining);

  // ---- the transport's findings ---------------------------------------------------

  // A read or write failed: the client is gone. receive() then yields disconnect and
  // send() throws client_disconnected.
  void client_gone() { client_gone_ = true; }
  bool client_is_gone() const { return client_gone_; }
  // The app has been told the exchange is over (http_disconnect): the client is gone or
  // the request body was refused (then the server answers 400/413 itself).
  bool disconnected() const { return client_gone_ || body_error_.has_value(); }

  bool response_started() const { return encoder_.started(); }
  bool response_complete() const { return encoder_.finished(); }
  bool body_complete() const { return body_.done(); }
  // The connection can be reused after the response, as far as the exchange knows.
  bool keep_alive() const { return encoder_.keep_alive(); }
  // The status the client gets: the app's, or once conclude() answered for the app,
  // the server's own (500, or the body's 400/413); 0 while there is none.
  int response_status() const { return server_answered_ ? rejection_.status : encoder_.status(); }
  // The app's response body bytes sent so far.
  std::uint64_t response_body_bytes() const { return encoder_.body_bytes(); }
  // What the app reported through scope.report (the route that served the request).
  const request_report& report() const { return report_; }

  // ---- when the app has returned --------------------------------------------------

  enum class ending {
    complete,     // the response is whole: drain_unread_body() if !body_complete()
    answered,     // the app sent nothing or failed before its body: a 500 (or its body
                  // error) was put in `out` instead; keep_alive() says what follows
    reject,       // nothing sent and the request cannot be answered in step: reject
                  // with rejection() and close
    cut_off,      // the response was left unfinished: flush what is out, then close
  };
  ending conclude(std::string& out, bool draining);
  // For ending::reject: the status and reason to answer with.
  const rejection& rejection_to_send() const { return rejection_; }

  // Whether drain_unread_body() may read the rest of the body to reuse the connection:
  // not if the client waits for a 100 Continue it never got (it may never send the
  // body), nor when more than max_drain_bytes of Content-Length body remain.
  bool unread_body_is_drainable() const;
  // Discards what the app left of the body: like next_receive() but never delivers.
  // read_more: more bytes are needed; deliver: done (event.type http_request) or the
  // connection cannot be reused (http_disconnect).
  receive_step drain_unread_body(std::string_view pending);

 private:
  void build_scope(const exchange_site& site);

  const request_head* head_ = nullptr;
  body_reader body_;
  std::optional<rejection> body_error_;
  bool continue_sent_ = false;
  bool final_body_delivered_ = false;  // the more_body=false event has been received
  bool client_gone_ = false;
  std::uint64_t drain_start_ = 0;  // body bytes received when the draining began
  bool draining_body_ = false;

  response_encoder encoder_;
  rejection rejection_;
  bool server_answered_ = false;  // conclude() set rejection_ as the answer

  request_report report_;
  scope_paths paths_;
  cogi::scope scope_;
};

}  // namespace cogi::http
