// Request bodies over real sockets: Content-Length and chunked bodies, 100-continue
// only when the app first reads, unread bodies, and the idle body-read timeout.

#include <gtest/gtest.h>

#include <string>

#include "examples/demo/demo_app.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

// Answers without ever reading the request body.
asio::awaitable<void> ignores_body(scope&, receive_fn, send_fn send) {
  co_await send(response_start{200, {}});
  co_await send(response_body{"ignored", false});
}

TEST(Body, ContentLengthAndChunkedBodiesEchoByteForByte) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  std::string binary;
  for (int i = 0; i < 70'000; ++i) binary.push_back(static_cast<char>(i * 7));
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(binary.size()) + "\r\n\r\n" + binary);
  EXPECT_EQ(client.read_response().body, binary);
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string expected;
  for (int i = 1; i <= 40; ++i) {
    const std::string piece(static_cast<std::size_t>(i * 100), static_cast<char>('a' + i % 26));
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    client.send(std::string(size) + "\r\n" + piece + "\r\n");
    expected += piece;
  }
  client.send("0\r\n\r\n");
  EXPECT_EQ(client.read_response().body, expected);
}

// Issue 12: "Content-Length: 007" is seven bytes (RFC 9110 §8.6: 1*DIGIT), and the
// connection stays in step for the request after it.
TEST(Body, ContentLengthWithLeadingZerosIsAccepted) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 007\r\n\r\nsevenby"
              "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto echoed = client.read_response();
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.body, "sevenby");
  const auto next = client.read_response();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "Hello, World!");
}

TEST(Body, ContinueIsSentOnlyWhenTheAppReadsTheBody) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = client.read_response();
  EXPECT_EQ(interim.status, 100);
  client.send("hello");
  const auto final_response = client.read_response();
  EXPECT_EQ(final_response.status, 200);
  EXPECT_EQ(final_response.body, "hello");
}

TEST(Body, NoContinueWhenTheAppAnswersWithoutReading) {
  running_server server(ignores_body);
  raw_client client(server.port());
  client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 200);  // the final status directly, no 100 first
  EXPECT_EQ(response.body, "ignored");
  // The client may or may not send the body now; the connection cannot be reused.
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(Body, SmallUnreadBodyIsDrainedAndTheConnectionReused) {
  running_server server(ignores_body);
  raw_client client(server.port());
  client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789"
              "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
              "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  for (int i = 0; i < 3; ++i) {
    const auto response = client.read_response();
    EXPECT_EQ(response.body, "ignored");
    EXPECT_FALSE(response.header("connection").has_value()) << i;
  }
}

TEST(Body, LargeUnreadBodyClosesTheConnection) {
  running_server server(ignores_body);
  raw_client client(server.port());
  client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.body, "ignored");
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(Body, StalledBodyTimesOut) {
  auto config = running_server::quiet_config();
  config.limits.body_timeout = std::chrono::milliseconds(300);
  running_server server(examples::demo_app(), config);
  raw_client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part");
  const auto start = std::chrono::steady_clock::now();
  client.read_until_close();  // the echo had started: the cut-off response then close
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(3));
  EXPECT_EQ(get(server.port(), "/plaintext").status, 200);
}

TEST(Body, ReceiveAfterTheBodyReportsDisconnectOnceTheResponseIsDone) {
  std::vector<receive_type> seen;
  const auto app = [&seen](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::http) co_return;
    seen.push_back((co_await receive()).type);
    co_await send(response_start{204, {}});
    co_await send(response_body{{}, false});
    seen.push_back((co_await receive()).type);
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 204);
  client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  client.read_response();
  ASSERT_TRUE(client.closed_by_peer());  // the app has returned: `seen` is complete
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], receive_type::http_request);
  EXPECT_EQ(seen[1], receive_type::http_disconnect);
}

}  // namespace
}  // namespace cogi::testing
