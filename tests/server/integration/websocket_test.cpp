// WebSocket on the real server, spoken to over loopback with raw frames: the handshake
// and its refusals, echo, fragments, pings, the close handshake both ways, protocol
// failures, limits, keepalive pings and graceful shutdown. Apps here use the contract
// directly (the framework's websocket API has its own tests).

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>

#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/waiting.hpp"
#include "tests/support/websocket_client.hpp"

namespace cogi::testing {
namespace {

using http::websocket::opcode;
using yield = http::websocket::message_reader::yield;

// What the echo app saw when its connection ended.
struct app_record {
  std::atomic<int> disconnects{0};
  std::atomic<int> code{0};
  std::string reason;  // written before disconnects is incremented
};

// Accepts (with the subprotocol "echo" when offered), then echoes every message as it
// came, until the disconnect. Plain HTTP requests get "plain".
app_fn echo_app(app_record& record) {
  return [&record](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type == scope_type::lifespan) co_return;
    if (s.type == scope_type::http) {
      co_await send(response_start{.status = 200});
      co_await send(response_body{.body = "plain"});
      co_return;
    }
    const receive_event connect = co_await receive();
    if (connect.type != receive_type::websocket_connect) throw std::logic_error("connect first");
    std::string_view chosen;
    for (const auto protocol : s.subprotocols)
      if (protocol == "echo") chosen = protocol;
    co_await send(websocket_accept{.subprotocol = chosen});
    for (;;) {
      const receive_event event = co_await receive();
      if (event.type == receive_type::websocket_disconnect) {
        record.reason.assign(event.reason);
        record.code = event.code;
        ++record.disconnects;
        co_return;
      }
      if (event.body == "close please") {
        co_await send(websocket_close{.code = 4000, .reason = "as you asked"});
        continue;
      }
      websocket_send echo;
      if (event.text) echo.text = event.body;
      else echo.bytes = event.body;
      co_await send(echo);
    }
  };
}

TEST(WebSocket, HandshakeAndEcho) {
  app_record record;
  running_server server(echo_app(record));
  websocket_client ws(server.port(), "/chat", "Sec-WebSocket-Protocol: chat, echo\r\n");
  ASSERT_EQ(ws.handshake_status(), 101) << ws.handshake_head();
  EXPECT_EQ(ws.handshake_header("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(ws.handshake_header("sec-websocket-protocol"), "echo");
  EXPECT_EQ(ws.handshake_header("upgrade"), "websocket");
  ws.send_text("hello");
  auto echoed = ws.next_message();
  EXPECT_EQ(echoed.what, yield::message);
  EXPECT_TRUE(echoed.text);
  EXPECT_EQ(echoed.payload, "hello");
  const std::string binary("\x00\xff\x10", 3);
  ws.send_binary(binary);
  echoed = ws.next_message();
  EXPECT_FALSE(echoed.text);
  EXPECT_EQ(echoed.payload, binary);
  const std::string large(200'000, 'L');  // a 64-bit length, read in many pieces
  ws.send_text(large);
  EXPECT_EQ(ws.next_message().payload, large);
  // The client closes: the server echoes the code, closes TCP, and the app hears 1000.
  ws.send_close(1000, "done");
  const auto close = ws.next_message();
  EXPECT_EQ(close.what, yield::close);
  EXPECT_EQ(close.code, 1000);
  EXPECT_TRUE(ws.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return record.disconnects == 1; }, scaled(std::chrono::seconds(5))));
  EXPECT_EQ(record.code, 1000);
  EXPECT_EQ(record.reason, "done");
}

TEST(WebSocket, FragmentsWithControlFramesBetween) {
  app_record record;
  running_server server(echo_app(record));
  websocket_client ws(server.port());
  ASSERT_EQ(ws.handshake_status(), 101);
  ws.send_frame(opcode::text, "frag", false);
  ws.send_frame(opcode::ping, "between");
  ws.send_frame(opcode::continuation, "men", false);
  ws.send_frame(opcode::continuation, "ted");
  const auto pong = ws.next();
  EXPECT_EQ(pong.what, yield::pong);
  EXPECT_EQ(pong.payload, "between");
  EXPECT_EQ(ws.next_message().payload, "fragmented");
}

TEST(WebSocket, TheAppClosesWithItsCode) {
  app_record record;
  running_server server(echo_app(record));
  websocket_client ws(server.port());
  ASSERT_EQ(ws.handshake_status(), 101);
  ws.send_text("close please");
  const auto close = ws.next_message();
  EXPECT_EQ(close.what, yield::close);
  EXPECT_EQ(close.code, 4000);
  EXPECT_EQ(close.payload, "as you asked");
  ws.send_close(4000);
  EXPECT_TRUE(ws.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return record.disconnects == 1; }, scaled(std::chrono::seconds(5))));
  EXPECT_EQ(record.code, 4000);
}

TEST(WebSocket, RefusalsAreHttpAnswers) {
  const app_fn refusing = [](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::websocket) co_return;
    co_await receive();
    if (s.path == "/custom") {
      const header_field headers[] = {{"content-type", "text/plain"}};
      co_await send(response_start{.status = 401, .headers = headers});
      co_await send(response_body{.body = "who are you?"});
      co_return;
    }
    if (s.path == "/silent") co_return;
    co_await send(websocket_close{});
  };
  running_server server(refusing);
  {
    websocket_client ws(server.port(), "/closed");
    EXPECT_EQ(ws.handshake_status(), 403);
    EXPECT_EQ(ws.read_refusal_body(), "Forbidden\n") << "and the connection closes";
  }
  {
    websocket_client ws(server.port(), "/custom");
    EXPECT_EQ(ws.handshake_status(), 401);
    EXPECT_EQ(ws.read_refusal_body(), "who are you?");
  }
  {
    websocket_client ws(server.port(), "/silent");
    EXPECT_EQ(ws.handshake_status(), 403) << "an app that returns without an answer";
  }
}

TEST(WebSocket, BrokenHandshakesAreRefusedBeforeTheApp) {
  std::atomic<int> calls{0};
  const app_fn counting = [&calls](scope& s, receive_fn, send_fn) -> asio::awaitable<void> {
    if (s.type == scope_type::websocket) ++calls;
    co_return;
  };
  running_server server(counting);
  raw_client wrong_version(server.port());
  wrong_version.send("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
  const auto answer = wrong_version.read_response();
  EXPECT_EQ(answer.status, 426);
  EXPECT_EQ(answer.header("sec-websocket-version"), "13");
  raw_client no_key(server.port());
  no_key.send("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(no_key.read_response().status, 400);
  EXPECT_EQ(calls, 0);
}

TEST(WebSocket, ProtocolViolationsCloseWithTheirCodeAndOthersAreStillServed) {
  app_record record;
  running_server server(echo_app(record));
  websocket_client ws(server.port());
  ASSERT_EQ(ws.handshake_status(), 101);
  ws.send_frame(opcode::text, "not masked", true, false, false);
  const auto close = ws.next_message();
  EXPECT_EQ(close.what, yield::close);
  EXPECT_EQ(close.code, 1002);
  EXPECT_TRUE(ws.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return record.disconnects == 1; }, scaled(std::chrono::seconds(5))));
  EXPECT_EQ(record.code, 1002);

  websocket_client bad_text(server.port());
  bad_text.send_frame(opcode::text, "\xce\xba\xed\xa0\x80", false);  // fails before the message ends
  EXPECT_EQ(bad_text.next_message().code, 1007);

  EXPECT_EQ(get(server.port(), "/").body, "plain");
}

TEST(WebSocket, MessagesOverTheLimitAre1009) {
  app_record record;
  auto config = running_server::quiet_config();
  config.websocket.max_message_bytes = 1000;
  running_server server(echo_app(record), config);
  websocket_client ws(server.port());
  ws.send_text(std::string(1000, 'a'));
  EXPECT_EQ(ws.next_message().payload.size(), 1000u);
  ws.send_text(std::string(1001, 'a'));
  const auto close = ws.next_message();
  EXPECT_EQ(close.what, yield::close);
  EXPECT_EQ(close.code, 1009);
}

TEST(WebSocket, UnansweredPingsClose1011) {
  app_record record;
  auto config = running_server::quiet_config();
  config.websocket.ping_interval = std::chrono::milliseconds(50);
  config.websocket.ping_timeout = std::chrono::milliseconds(100);
  running_server server(echo_app(record), config);
  websocket_client ws(server.port());
  ASSERT_EQ(ws.handshake_status(), 101);
  auto event = ws.next();
  EXPECT_EQ(event.what, yield::ping);
  ws.send_frame(opcode::pong, event.payload);  // the first is answered ...
  ws.send_text("still here");
  while ((event = ws.next()).what != yield::close) {
  }  // ... later ones are not
  EXPECT_EQ(event.code, 1011);
  ws.send_close(1011);
  ASSERT_TRUE(eventually([&] { return record.disconnects == 1; }, scaled(std::chrono::seconds(5))));
  EXPECT_EQ(record.code, 1011);
}

TEST(WebSocket, ShutdownSaysGoingAway) {
  app_record record;
  auto config = running_server::quiet_config();
  auto server = std::make_unique<running_server>(echo_app(record), config);
  websocket_client ws(server->port());
  ASSERT_EQ(ws.handshake_status(), 101);
  ws.send_text("ready");
  EXPECT_EQ(ws.next_message().payload, "ready");
  auto stopping = std::async(std::launch::async, [&] { server.reset(); });
  const auto close = ws.next_message();
  EXPECT_EQ(close.what, yield::close);
  EXPECT_EQ(close.code, 1001);
  ws.send_close(1001);
  stopping.get();  // the drain ends as soon as the close handshake does
  EXPECT_EQ(record.code, 1001);
}

TEST(WebSocket, SendAfterTheClientLeftRaisesTheDisconnectError) {
  std::promise<std::string> outcome;
  std::atomic<bool> client_gone{false};
  const app_fn app = [&](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::websocket) co_return;
    co_await receive();
    co_await send(websocket_accept{});
    const receive_event gone = co_await receive();
    client_gone = gone.type == receive_type::websocket_disconnect;
    try {
      co_await send(websocket_send{.text = "anyone?"});
      outcome.set_value("sent");
    } catch (const client_disconnected&) {
      outcome.set_value("client_disconnected");
    }
  };
  running_server server(app);
  {
    websocket_client ws(server.port());
    ASSERT_EQ(ws.handshake_status(), 101);
  }  // the socket closes without a close frame
  auto result = outcome.get_future();
  ASSERT_EQ(result.wait_for(scaled(std::chrono::seconds(5))), std::future_status::ready);
  EXPECT_EQ(result.get(), "client_disconnected");
  EXPECT_TRUE(client_gone);
}

}  // namespace
}  // namespace cogi::testing
