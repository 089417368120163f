// test_client::websocket_connect and test_websocket: an in-process WebSocket through the
// server's own pieces. The handshake is written as HTTP/1.1 bytes and read by the
// server's scanner, parser and handshake checks; the app talks to the same
// http::websocket::session the server's connections use; the test's messages reach it
// as masked frames, and the app's are read back from the frames the session wrote.

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>

#include "cogi/framework/detail/test_client_impl.hpp"
#include "cogi/framework/detail/test_wire.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/json_writer.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/contract/errors.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/response_encoder.hpp"
#include "cogi/server/http/validation.hpp"
#include "cogi/server/http/websocket/frame.hpp"
#include "cogi/server/http/websocket/handshake.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"
#include "cogi/server/http/websocket/session.hpp"

namespace cogi {

namespace ws = http::websocket;
using yield = ws::message_reader::yield;

websocket_refused::websocket_refused(test_response answer)
    : std::runtime_error("the WebSocket handshake was refused with " + std::to_string(answer.status)),
      response(std::move(answer)) {}

struct test_websocket::state {
  state(test_client::impl& c) : client(c), scanner(c.options.limits), parser(c.options.limits) {}

  test_client::impl& client;
  detail::wire_request wire;
  http::head_scanner scanner;
  http::request_parser parser;
  http::request_head head;
  ws::handshake_request handshake;
  std::optional<ws::session> session;
  ws::message_reader reader{{.frames_masked = false}};
  std::string to_app;    // frames the session has not taken yet (its queue was full)
  async::event changed;  // pulsed when the test gives the session something
  bool app_done = false;
  std::exception_ptr failure;
  bool closed = false;   // the close handshake is over (either side began it)
  std::uint16_t close_code = 0;
  std::string close_reason;
  std::string subprotocol;
  header_pairs headers;

  void pulse() {
    changed.set();
    changed.clear();
  }

  // Runs the client's loop until `done`, failing the test after websocket_timeout.
  template <class Done>
  void run_until(Done done, const char* waiting_for) {
    asio::io_context& loop = client.loop;
    loop.restart();
    const auto deadline = std::chrono::steady_clock::now() + client.options.websocket_timeout;
    while (!done()) {
      if (loop.run_one_for(std::chrono::milliseconds(10)) == 0 && std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error(std::string("test_websocket: timed out waiting for ") + waiting_for);
    }
    loop.poll();
  }

  void raise_failure() {
    if (failure && client.options.raise_app_exceptions) std::rethrow_exception(std::exchange(failure, nullptr));
  }

  // Hands `frame` (and anything still waiting) to the session, running the app while
  // its queue is full.
  void deliver(std::string frame) {
    to_app += frame;
    run_until(
        [this] {
          if (!to_app.empty() && session->wants_input()) {
            to_app.erase(0, session->on_input(to_app));
            pulse();
          }
          return to_app.empty() || app_done || session->current_state() == ws::session::state::closed;
        },
        "the app to take a message");
  }

  void send_frame(ws::opcode op, std::string_view payload) {
    if (closed) throw websocket_disconnect(close_code, close_reason);
    static constexpr ws::masking_key key{0x5c, 0x21, 0x9e, 0x04};
    char header[ws::max_frame_header];
    std::string frame(header, ws::write_frame_header({.op = op, .length = payload.size(), .mask = key}, header));
    const std::size_t at = frame.size();
    frame.append(payload);
    ws::apply_mask(frame.data() + at, payload.size(), key);
    deliver(std::move(frame));
  }

  // The next frame the server wrote, waiting for the app to write one.
  message next_message() {
    for (;;) {
      if (closed) {
        raise_failure();
        throw websocket_disconnect(close_code, close_reason);
      }
      std::string& output = session->output();
      const auto step = reader.next(output);
      if (step.what == yield::need_more) {
        output.erase(0, step.consumed);
        run_until([this] { return !session->output().empty() || app_done; }, "a message from the app");
        if (session->output().empty() && app_done) {
          raise_failure();
          throw std::runtime_error("test_websocket: the app returned without closing");
        }
        continue;
      }
      message result{step.text, std::string(step.payload)};
      const yield what = step.what;
      const std::uint16_t code = step.code;
      const std::string reason(step.reason);
      output.erase(0, step.consumed);
      if (what == yield::message) return result;
      if (what == yield::fail) throw std::runtime_error("test_websocket: the server wrote a broken frame: " + reason);
      if (what == yield::close) {
        // Answered as a browser answers, so the app's receive() reports the disconnect.
        close_code = code;
        close_reason = reason;
        if (session->current_state() != ws::session::state::closed) {
          char body[ws::max_control_payload];
          send_frame(ws::opcode::close, std::string_view(body, ws::write_close_payload(code, {}, body)));
        }
        closed = true;
      }
      // pings and pongs: nothing to do (the session answers the test's pings itself)
    }
  }
};

namespace {

asio::awaitable<receive_event> receive_from(test_websocket::state& s) {
  for (;;) {
    const auto step = s.session->next_receive();
    if (step.action == ws::session::receive_action::deliver) co_return step.event;
    co_await s.changed.wait();
  }
}

asio::awaitable<void> send_to(test_websocket::state& s, const send_event& event) {
  s.session->send(event);
  co_return;
}

asio::awaitable<void> serve(const app_fn& app, test_websocket::state& s) {
  auto receive = [&s]() { return receive_from(s); };
  auto send = [&s](const send_event& event) { return send_to(s, event); };
  bool failed = false;
  try {
    co_await app(s.session->scope(), receive, send);
  } catch (const client_disconnected&) {
  } catch (...) {
    failed = true;
    s.failure = std::current_exception();
  }
  s.session->conclude(failed);
}

// The 101 at the start of `bytes` (read_response() skips 1xx answers as interim): its
// status and fields; the frames after it stay.
test_response read_switching_head(std::string& bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string::npos || !bytes.starts_with("HTTP/1.1 101 "))
    throw std::runtime_error("test_websocket: no 101 answer");
  test_response head;
  head.status = 101;
  std::string_view fields = std::string_view(bytes).substr(0, end + 2);
  fields.remove_prefix(fields.find("\r\n") + 2);
  while (!fields.empty()) {
    const auto line_end = fields.find("\r\n");
    const std::string_view line = fields.substr(0, line_end);
    fields.remove_prefix(line_end + 2);
    const auto colon = line.find(':');
    head.headers.emplace_back(line.substr(0, colon), http::trim_ows(line.substr(colon + 1)));
  }
  bytes.erase(0, end + 4);
  return head;
}

}  // namespace

test_websocket test_client::websocket_connect(std::string target, header_pairs headers,
                                              std::vector<std::string> subprotocols) {
  impl& self = *impl_;
  auto s = std::make_unique<test_websocket::state>(self);
  test_request req;
  req.target = std::move(target);
  req.headers = std::move(headers);
  req.headers.emplace_back("upgrade", "websocket");
  req.headers.emplace_back("connection", "Upgrade");
  req.headers.emplace_back("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
  req.headers.emplace_back("sec-websocket-version", "13");
  std::string offered;
  for (const auto& protocol : subprotocols) offered += (offered.empty() ? "" : ", ") + protocol;
  if (!offered.empty()) req.headers.emplace_back("sec-websocket-protocol", offered);
  s->wire = detail::write_request(req, self.server.host);

  // The server's checks, in the server's order: head, then handshake.
  std::optional<http::rejection> refusal;
  const auto scanned = s->scanner.scan(s->wire.head.data(), s->wire.head.size());
  if (scanned != http::head_scanner::state::complete) {
    refusal = scanned == http::head_scanner::state::rejected ? s->scanner.error()
                                                             : http::rejection{400, "Malformed request head"};
  } else {
    refusal = s->parser.parse(s->wire.head.data() + s->scanner.prefix_length(), s->scanner.head_length(), s->head);
  }
  if (!refusal) refusal = ws::check_handshake(s->head, s->handshake);
  if (refusal) {
    std::string bytes;
    http::append_rejection(bytes, *refusal);
    throw websocket_refused(detail::read_response(bytes, false));
  }
  s->session.emplace(s->head, s->handshake, self.site, self.options.websocket);

  test_websocket::state* raw = s.get();
  asio::co_spawn(self.loop, serve(self.app, *raw), [raw](std::exception_ptr) { raw->app_done = true; });
  raw->run_until([raw] { return raw->session->handshake_status() != 0 || raw->app_done; }, "the app to accept");
  if (raw->session->refused()) {
    // The app runs to its end before the state it uses goes.
    raw->run_until([raw] { return raw->app_done; }, "the app to return after its refusal");
    raw->raise_failure();
    throw websocket_refused(detail::read_response(raw->session->output(), false));
  }
  raw->raise_failure();
  const test_response answer = read_switching_head(raw->session->output());
  raw->headers = answer.headers;
  raw->subprotocol = std::string(answer.header("sec-websocket-protocol"));
  return test_websocket(std::move(s));
}

test_websocket::test_websocket(std::unique_ptr<state> s) : state_(std::move(s)) {}
test_websocket::test_websocket(test_websocket&&) noexcept = default;

test_websocket::~test_websocket() {
  if (!state_) return;
  try {
    if (!state_->closed && !state_->app_done) close();
    state_->run_until([this] { return state_->app_done; }, "the app to return");
  } catch (...) {
    // A destructor cannot fail the test; close() called by the test reports the same.
  }
}

const std::string& test_websocket::subprotocol() const { return state_->subprotocol; }
const header_pairs& test_websocket::headers() const { return state_->headers; }

void test_websocket::send_text(std::string_view text) { state_->send_frame(ws::opcode::text, text); }
void test_websocket::send_bytes(std::string_view bytes) { state_->send_frame(ws::opcode::binary, bytes); }
void test_websocket::send_json(const picojson::value& value) { send_text(to_json(value)); }

test_websocket::message test_websocket::receive() { return state_->next_message(); }

std::string test_websocket::receive_text() {
  message m = receive();
  if (!m.text) throw std::runtime_error("test_websocket: expected a text message, got bytes");
  return std::move(m.data);
}

std::string test_websocket::receive_bytes() {
  message m = receive();
  if (m.text) throw std::runtime_error("test_websocket: expected a binary message, got text");
  return std::move(m.data);
}

picojson::value test_websocket::receive_json() { return read_json(receive().data); }

void test_websocket::close(std::uint16_t code, std::string_view reason) {
  state& s = *state_;
  if (!s.closed) {
    char body[ws::max_control_payload];
    s.send_frame(ws::opcode::close, std::string_view(body, ws::write_close_payload(code, reason, body)));
    s.closed = true;
    s.close_code = code;
  }
  s.run_until([&s] { return s.app_done; }, "the app to return after the close");
  s.raise_failure();
}

}  // namespace cogi
