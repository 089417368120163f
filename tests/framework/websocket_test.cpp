// The framework's WebSocket routes (Starlette's WebSocketRoute and WebSocket), through
// the in-process test client: routing, path parameters, subprotocols, messages of
// each kind, closes from both sides, refusals and failures.

#include "cogi/framework/app.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"

namespace cogi {
namespace {

task<void> echo(websocket& ws) {
  co_await ws.accept();
  while (auto message = co_await ws.next()) {
    if (message->is_text()) {
      co_await ws.send_text(std::string(ws.path_params().get("room")) + ": " + message->text());
    } else {
      co_await ws.send_bytes(message->data());
    }
  }
}

TEST(WebSocketRoutes, EchoWithAPathParameter) {
  app a;
  a.websocket("/ws/{room}", echo);
  test_client client(a);
  auto ws = client.websocket_connect("/ws/lobby");
  ws.send_text("hello");
  EXPECT_EQ(ws.receive_text(), "lobby: hello");
  ws.send_bytes(std::string("\x01\x02", 2));
  EXPECT_EQ(ws.receive_bytes(), std::string("\x01\x02", 2));
  ws.close();
}

TEST(WebSocketRoutes, RoutingKeepsHttpAndWebSocketApart) {
  app a;
  a.websocket("/ws", echo);
  a.get("/page", [](request&) -> task<> { co_return text("page"); });
  test_client client(a);
  EXPECT_EQ(client.get("/ws").status, 404) << "an HTTP request does not match a WebSocket route";
  try {
    client.websocket_connect("/page");
    FAIL() << "a WebSocket request does not match an HTTP route";
  } catch (const websocket_refused& refused) {
    EXPECT_EQ(refused.response.status, 403);
  }
  EXPECT_THROW(client.websocket_connect("/nowhere"), websocket_refused);
}

TEST(WebSocketRoutes, SubprotocolAndHeaders) {
  app a;
  a.websocket("/ws", [](websocket& ws) -> task<void> {
    std::string_view chosen;
    for (const auto offered : ws.subprotocols())
      if (offered == "v2.chat") chosen = offered;
    const header_field extra[] = {{"x-room", std::string_view(ws.query().get_or("room", "none"))}};
    co_await ws.accept(chosen, extra);
    co_await ws.send_text(std::string(ws.header("X-Token")));
    co_await ws.close();
  });
  test_client client(a);
  auto ws = client.websocket_connect("/ws?room=7", {{"x-token", "secret"}}, {"v1.chat", "v2.chat"});
  EXPECT_EQ(ws.subprotocol(), "v2.chat");
  bool room_header = false;
  for (const auto& [name, value] : ws.headers()) room_header = room_header || (name == "x-room" && value == "7");
  EXPECT_TRUE(room_header);
  EXPECT_EQ(ws.receive_text(), "secret");
  try {
    ws.receive_text();
    FAIL() << "the app closed";
  } catch (const websocket_disconnect& closed) {
    EXPECT_EQ(closed.code(), 1000);
  }
}

TEST(WebSocketRoutes, JsonBothWays) {
  app a;
  a.websocket("/ws", [](websocket& ws) -> task<void> {
    co_await ws.accept();
    picojson::value doc = co_await ws.receive_json();
    doc.get<picojson::object>()["seen"] = picojson::value(true);
    co_await ws.send_json(doc);
    co_await ws.receive_json();  // the next is not JSON: 1007
  });
  test_client client(a);
  auto ws = client.websocket_connect("/ws");
  ws.send_text(R"({"n": 1})");
  const picojson::value answer = ws.receive_json();
  EXPECT_TRUE(answer.get("seen").get<bool>());
  EXPECT_EQ(answer.get("n").get<std::int64_t>(), 1);
  ws.send_text("{not json");
  try {
    ws.receive();
    FAIL();
  } catch (const websocket_disconnect& closed) {
    EXPECT_EQ(closed.code(), 1007);
  }
}

TEST(WebSocketRoutes, TheWrongKindOfMessageCloses1003) {
  app a;
  a.websocket("/ws", [](websocket& ws) -> task<void> {
    co_await ws.accept();
    co_await ws.receive_text();
  });
  test_client client(a);
  auto ws = client.websocket_connect("/ws");
  ws.send_bytes("binary");
  try {
    ws.receive();
    FAIL();
  } catch (const websocket_disconnect& closed) {
    EXPECT_EQ(closed.code(), 1003);
    EXPECT_EQ(closed.reason(), "expected a text message");
  }
}

TEST(WebSocketRoutes, TheHandlerHearsTheClientClose) {
  std::uint16_t heard = 0;
  app a;
  a.websocket("/ws", [&heard](websocket& ws) -> task<void> {
    co_await ws.accept();
    while (co_await ws.next()) {
    }
    heard = ws.close_code();
  });
  test_client client(a);
  auto ws = client.websocket_connect("/ws");
  ws.close(4002, "leaving");
  EXPECT_EQ(heard, 4002);
}

TEST(WebSocketRoutes, ReceiveAfterTheClientLeftEndsTheHandlerQuietly) {
  bool after = false;
  app a;
  a.websocket("/ws", [&after](websocket& ws) -> task<void> {
    co_await ws.accept();
    co_await ws.receive_text();  // throws websocket_disconnect: the framework ends the handler
    after = true;
  });
  test_client client(a);
  client.websocket_connect("/ws").close();  // no exception raised into the test
  EXPECT_FALSE(after);
}

TEST(WebSocketRoutes, FailuresAre500BeforeAcceptAnd1011After) {
  app a;
  a.websocket("/early", [](websocket&) -> task<void> { throw std::runtime_error("before accept"); });
  a.websocket("/late", [](websocket& ws) -> task<void> {
    co_await ws.accept();
    throw std::runtime_error("after accept");
  });
  {
    test_client client(a);
    EXPECT_THROW(client.websocket_connect("/early"), std::runtime_error) << "raised into the test by default";
  }
  test_client client(a, test_client_options{}.with_raise_app_exceptions(false));
  try {
    client.websocket_connect("/early");
    FAIL();
  } catch (const websocket_refused& refused) {
    EXPECT_EQ(refused.response.status, 500);
  }
  auto ws = client.websocket_connect("/late");
  try {
    ws.receive();
    FAIL();
  } catch (const websocket_disconnect& closed) {
    EXPECT_EQ(closed.code(), 1011);
  }
}

TEST(WebSocketRoutes, IncludeAndMountCarryWebSocketRoutes) {
  router chat;
  chat.websocket("/{room}", echo, "room");
  app inner;
  inner.websocket("/socket", [](websocket& ws) -> task<void> {
    co_await ws.accept();
    co_await ws.send_text(std::string(ws.scope().root_path));
  });
  app a;
  a.include("/chat", chat, "chat");
  a.mount("/inner", inner);
  EXPECT_EQ(a.url_path_for("chat:room", {{"room", "general"}}), "/chat/general");
  test_client client(a);
  auto ws = client.websocket_connect("/chat/general");
  ws.send_text("hi");
  EXPECT_EQ(ws.receive_text(), "general: hi");
  auto mounted = client.websocket_connect("/inner/socket");
  EXPECT_EQ(mounted.receive_text(), "/inner");
}

TEST(WebSocketRoutes, MessagesQueueWhileTheHandlerIsBusy) {
  app a;
  a.websocket("/ws", [](websocket& ws) -> task<void> {
    co_await ws.accept();
    std::string all;
    for (int i = 0; i < 50; ++i) all += co_await ws.receive_text();
    co_await ws.send_text(std::to_string(all.size()));
  });
  test_client client(a, test_client_options{}.with_websocket(http::websocket::settings{}.with_max_queued_messages(4)));
  auto ws = client.websocket_connect("/ws");
  for (int i = 0; i < 50; ++i) ws.send_text("0123456789");  // more than the queue holds
  EXPECT_EQ(ws.receive_text(), "500");
}

}  // namespace
}  // namespace cogi
