// One WebSocket session's contract without a socket (asgiref's websocket.* messages):
// the handshake's answers, messages both ways, the close handshake, failures, limits.

#include "cogi/server/http/websocket/session.hpp"

#include <gtest/gtest.h>

#include "cogi/server/contract/errors.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "tests/server/http/websocket/frames.hpp"

namespace cogi::http::websocket {
namespace {

using testing::client_frame;
using testing::read_all;
using testing::seen;
using yield = message_reader::yield;

// A session for a client's handshake, as the server makes it.
struct fixture {
  std::string request;
  request_head head;
  handshake_request handshake;
  limits http_limits;
  exchange_site site{&http_limits};
  settings config;
  std::optional<session> ws;

  explicit fixture(std::string extra_headers = "", settings with = {}) : config(std::move(with)) {
    request = "GET /chat?room=1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
              extra_headers + "\r\n";
    request_parser parser(http_limits);
    EXPECT_FALSE(parser.parse(request.data(), request.size(), head));
    EXPECT_FALSE(check_handshake(head, handshake));
    ws.emplace(head, handshake, site, config);
  }

  receive_event receive() {
    const auto step = ws->next_receive();
    EXPECT_EQ(step.action, session::receive_action::deliver);
    return step.event;
  }
  void accept(std::string_view subprotocol = {}) {
    EXPECT_EQ(receive().type, receive_type::websocket_connect);
    ws->send(websocket_accept{.subprotocol = subprotocol});
    const auto end = ws->output().find("\r\n\r\n");
    handshake_answer = ws->output().substr(0, end + 4);
    ws->output().erase(0, end + 4);
  }
  // Feeds the client's bytes; all must be taken.
  void client_sends(std::string bytes) { EXPECT_EQ(ws->on_input(bytes), bytes.size()); }
  // The frames the server wrote since the last call, read as a client reads them.
  std::vector<seen> server_frames(message_inflater* inflater = nullptr) {
    message_reader client({.frames_masked = false, .inflater = inflater});
    auto frames = read_all(client, ws->output());
    ws->output().clear();
    return frames;
  }
  std::string handshake_answer;
};

TEST(WebSocketSession, ConnectAcceptAndTheScope) {
  fixture f("Sec-WebSocket-Protocol: chat, v2\r\n");
  EXPECT_EQ(f.ws->scope().type, scope_type::websocket);
  EXPECT_EQ(f.ws->scope().scheme, "ws");
  EXPECT_EQ(f.ws->scope().path, "/chat");
  EXPECT_EQ(f.ws->scope().query_string, "room=1");
  ASSERT_EQ(f.ws->scope().subprotocols.size(), 2u);
  EXPECT_EQ(f.ws->scope().subprotocols[1], "v2");
  f.accept("v2");
  EXPECT_TRUE(f.handshake_answer.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << f.handshake_answer;
  EXPECT_NE(f.handshake_answer.find("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_NE(f.handshake_answer.find("sec-websocket-protocol: v2\r\n"), std::string::npos);
  EXPECT_EQ(f.handshake_answer.find("sec-websocket-extensions"), std::string::npos) << "deflate is off by default";
  EXPECT_EQ(f.ws->current_state(), session::state::open);
  EXPECT_EQ(f.ws->handshake_status(), 101);
}

TEST(WebSocketSession, AcceptChecksWhatTheAppSays) {
  fixture f("Sec-WebSocket-Protocol: chat\r\n");
  EXPECT_EQ(f.receive().type, receive_type::websocket_connect);
  EXPECT_THROW(f.ws->next_receive(), protocol_error) << "receive() before an answer";
  EXPECT_THROW(f.ws->send(websocket_accept{.subprotocol = "other"}), protocol_error);
  const header_field injected[] = {{"x-a", "1\r\nx-b: 2"}};
  EXPECT_THROW(f.ws->send(websocket_accept{.headers = injected}), protocol_error);
  const header_field handshake_own[] = {{"Sec-WebSocket-Accept", "x"}};
  EXPECT_THROW(f.ws->send(websocket_accept{.headers = handshake_own}), protocol_error);
  EXPECT_THROW(f.ws->send(websocket_send{.text = "early"}), protocol_error);
  const header_field cookie[] = {{"set-cookie", "a=1"}};
  f.ws->send(websocket_accept{.headers = cookie});
  EXPECT_NE(f.ws->output().find("set-cookie: a=1\r\n"), std::string::npos);
  EXPECT_THROW(f.ws->send(websocket_accept{}), protocol_error) << "twice";
}

TEST(WebSocketSession, CloseBeforeAcceptIsA403) {
  fixture f;
  EXPECT_EQ(f.receive().type, receive_type::websocket_connect);
  f.ws->send(websocket_close{});
  EXPECT_TRUE(f.ws->refused());
  EXPECT_TRUE(f.ws->refusal_complete());
  EXPECT_TRUE(f.ws->output().starts_with("HTTP/1.1 403 Forbidden\r\n")) << f.ws->output();
  EXPECT_NE(f.ws->output().find("connection: close"), std::string::npos);
  const auto after = f.receive();
  EXPECT_EQ(after.type, receive_type::websocket_disconnect);
  EXPECT_EQ(after.code, close_code::abnormal);
  EXPECT_THROW(f.ws->send(websocket_send{.text = "x"}), protocol_error);
}

TEST(WebSocketSession, AnAppMayDenyWithItsOwnResponse) {
  fixture f;
  EXPECT_EQ(f.receive().type, receive_type::websocket_connect);
  const header_field headers[] = {{"content-type", "text/plain"}, {"www-authenticate", "Bearer"}};
  f.ws->send(response_start{.status = 401, .headers = headers});
  EXPECT_FALSE(f.ws->refusal_complete());
  f.ws->send(response_body{.body = "log in first", .more_body = true});
  f.ws->send(response_body{.body = "!"});
  EXPECT_TRUE(f.ws->refusal_complete());
  EXPECT_EQ(f.ws->handshake_status(), 401);
  const std::string& out = f.ws->output();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 401 Unauthorized\r\n")) << out;
  EXPECT_NE(out.find("www-authenticate: Bearer\r\n"), std::string::npos);
  EXPECT_NE(out.find("log in first"), std::string::npos);
  EXPECT_THROW(f.ws->send(websocket_accept{}), protocol_error);
}

TEST(WebSocketSession, MessagesBothWays) {
  fixture f;
  f.accept();
  f.client_sends(client_frame(opcode::text, "hello") + client_frame(opcode::binary, std::string("\0\1", 2)));
  auto first = f.receive();
  EXPECT_EQ(first.type, receive_type::websocket_receive);
  EXPECT_TRUE(first.text);
  EXPECT_EQ(first.body, "hello");
  auto second = f.receive();
  EXPECT_FALSE(second.text);
  EXPECT_EQ(second.body, std::string_view("\0\1", 2));
  EXPECT_EQ(f.ws->next_receive().action, session::receive_action::wait);
  f.ws->send(websocket_send{.text = "hi"});
  f.ws->send(websocket_send{.bytes = std::string_view("\xff", 1)});
  EXPECT_EQ(f.server_frames(), (std::vector<seen>{{yield::message, true, "hi", 0}, {yield::message, false, "\xff", 0}}));
  EXPECT_THROW(f.ws->send(websocket_send{}), protocol_error) << "neither text nor bytes";
  EXPECT_THROW(f.ws->send(websocket_send{.text = "a", .bytes = "b"}), protocol_error) << "both";
  EXPECT_THROW(f.ws->send(websocket_send{.text = "\xc0\xaf"}), protocol_error) << "text must be UTF-8";
  EXPECT_EQ(f.ws->messages_received(), 2u);
  EXPECT_EQ(f.ws->messages_sent(), 2u);
}

TEST(WebSocketSession, PingsAreAnsweredWithTheirPayload) {
  fixture f;
  f.accept();
  f.client_sends(client_frame(opcode::ping, "are you there"));
  EXPECT_EQ(f.server_frames(), (std::vector<seen>{{yield::pong, false, "are you there", 0}}));
  f.ws->ping("keepalive");
  EXPECT_EQ(f.server_frames(), (std::vector<seen>{{yield::ping, false, "keepalive", 0}}));
  f.client_sends(client_frame(opcode::pong, "keepalive"));
  EXPECT_EQ(f.ws->pongs_received(), 1u);
}

TEST(WebSocketSession, TheClientCloses) {
  fixture f;
  f.accept();
  f.client_sends(client_frame(opcode::text, "last words") + client_frame(opcode::close, "\x0f\xa0going"));  // 4000
  EXPECT_EQ(f.ws->current_state(), session::state::closed);
  EXPECT_EQ(f.server_frames(), (std::vector<seen>{{yield::close, false, "", 4000}})) << "the code is echoed";
  EXPECT_EQ(f.receive().body, "last words") << "queued messages come first";
  const auto disconnect = f.receive();
  EXPECT_EQ(disconnect.type, receive_type::websocket_disconnect);
  EXPECT_EQ(disconnect.code, 4000);
  EXPECT_EQ(disconnect.reason, "going");
  EXPECT_THROW(f.ws->send(websocket_send{.text = "too late"}), client_disconnected);
  EXPECT_THROW(f.ws->send(websocket_close{}), client_disconnected);
}

TEST(WebSocketSession, TheAppClosesAndWaitsForTheClientsClose) {
  fixture f;
  f.accept();
  f.ws->send(websocket_close{.code = 1001, .reason = "bye"});
  EXPECT_EQ(f.ws->current_state(), session::state::closing);
  EXPECT_EQ(f.server_frames(), (std::vector<seen>{{yield::close, false, "bye", 1001}}));
  EXPECT_THROW(f.ws->send(websocket_send{.text = "x"}), client_disconnected);
  EXPECT_TRUE(f.ws->wants_input());
  f.client_sends(client_frame(opcode::text, "in flight") + client_frame(opcode::close, "\x03\xe9"));
  EXPECT_EQ(f.ws->current_state(), session::state::closed);
  EXPECT_TRUE(f.ws->output().empty()) << "no second close frame";
  const auto disconnect = f.receive();
  EXPECT_EQ(disconnect.type, receive_type::websocket_disconnect) << "messages after our close are dropped";
  EXPECT_EQ(disconnect.code, 1001);
  fixture g;
  g.accept();
  EXPECT_THROW(g.ws->send(websocket_close{.code = 1005}), protocol_error);
  EXPECT_THROW(g.ws->send(websocket_close{.code = 2000}), protocol_error);
}

TEST(WebSocketSession, ABrokenFrameFailsTheConnectionWithItsCode) {
  fixture f;
  f.accept();
  std::string unmasked = client_frame(opcode::text, "unmasked", true, false, false);
  f.ws->on_input(unmasked);  // what follows a broken frame is never read
  EXPECT_EQ(f.ws->current_state(), session::state::closed);
  const auto frames = f.server_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].what, yield::close);
  EXPECT_EQ(frames[0].code, close_code::protocol_error);
  EXPECT_EQ(f.receive().code, close_code::protocol_error);
}

TEST(WebSocketSession, ReadingStopsWhileTheQueueIsFull) {
  fixture f("", settings{.max_queued_messages = 2});
  f.accept();
  const std::string three = client_frame(opcode::text, "1") + client_frame(opcode::text, "2") + client_frame(opcode::text, "3");
  std::string pending = three;
  const std::size_t taken = f.ws->on_input(pending);
  EXPECT_EQ(taken, 2 * client_frame(opcode::text, "1").size());
  EXPECT_FALSE(f.ws->wants_input());
  EXPECT_EQ(f.receive().body, "1");
  EXPECT_FALSE(f.ws->wants_input()) << "the message handed out is kept until the next receive()";
  EXPECT_EQ(f.receive().body, "2");
  EXPECT_TRUE(f.ws->wants_input());
  pending.erase(0, taken);
  EXPECT_EQ(f.ws->on_input(pending), pending.size());
  EXPECT_EQ(f.receive().body, "3");
}

TEST(WebSocketSession, ConcludeAnswersForTheApp) {
  fixture silent;
  silent.ws->conclude(false);
  EXPECT_TRUE(silent.ws->output().starts_with("HTTP/1.1 403")) << "returned without an answer";
  fixture failed;
  failed.ws->conclude(true);
  EXPECT_TRUE(failed.ws->output().starts_with("HTTP/1.1 500"));
  fixture returned;
  returned.accept();
  returned.ws->conclude(false);
  EXPECT_EQ(returned.server_frames(), (std::vector<seen>{{yield::close, false, "", close_code::normal}}));
  fixture threw;
  threw.accept();
  threw.ws->conclude(true);
  EXPECT_EQ(threw.server_frames(), (std::vector<seen>{{yield::close, false, "", close_code::internal_error}}));
}

TEST(WebSocketSession, TheServerClosesForAShutdownOrATimeout) {
  fixture open;
  open.accept();
  open.ws->close(close_code::going_away, "server shutting down");
  EXPECT_EQ(open.server_frames(), (std::vector<seen>{{yield::close, false, "server shutting down", 1001}}));
  open.ws->connection_lost();  // the client went without answering
  EXPECT_EQ(open.receive().code, close_code::going_away);
  fixture connecting;
  EXPECT_EQ(connecting.receive().type, receive_type::websocket_connect);
  connecting.ws->close(close_code::going_away, "");
  EXPECT_TRUE(connecting.ws->output().starts_with("HTTP/1.1 503")) << connecting.ws->output();
  EXPECT_THROW(connecting.ws->send(websocket_accept{}), client_disconnected) << "the app answers too late";
}

TEST(WebSocketSession, LostConnectionIs1006) {
  fixture f;
  f.accept();
  f.ws->connection_lost();
  const auto event = f.receive();
  EXPECT_EQ(event.type, receive_type::websocket_disconnect);
  EXPECT_EQ(event.code, close_code::abnormal);
}

TEST(WebSocketSession, CompressesWhenTheClientOffersAndTheServerAllows) {
  settings with_deflate;
  with_deflate.deflate.enabled = true;
  fixture f("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", with_deflate);
  f.accept();
  EXPECT_NE(f.handshake_answer.find("sec-websocket-extensions: permessage-deflate; server_max_window_bits=12; "
                                    "client_max_window_bits=12\r\n"),
            std::string::npos)
      << f.handshake_answer;
  EXPECT_GT(f.ws->compression_memory(), 0u);
  const std::string text(1000, 'z');
  f.ws->send(websocket_send{.text = text});
  f.ws->send(websocket_send{.text = "short"});
  EXPECT_LT(f.ws->output().size(), 100u) << "1000 bytes compressed";
  EXPECT_NE(f.ws->output()[0] & 0x40, 0) << "RSV1 marks the compressed message";
  deflate_agreement agreed{.server_max_window_bits = 12, .client_max_window_bits = 12};
  deflate_codec client_codec(agreed, with_deflate.deflate);
  EXPECT_EQ(f.server_frames(&client_codec),
            (std::vector<seen>{{yield::message, true, text, 0}, {yield::message, true, "short", 0}}));
  // And the client's compressed messages are read.
  std::string payload;
  client_codec.compress("compressed hello", payload);
  f.client_sends(client_frame(opcode::text, payload, true, true));
  EXPECT_EQ(f.receive().body, "compressed hello");
}

}  // namespace
}  // namespace cogi::http::websocket
