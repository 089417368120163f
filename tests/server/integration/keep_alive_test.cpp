// Connection reuse over real sockets: keep-alive, pipelining (responses strictly in
// order), HTTP/1.0, Connection: close both ways, HEAD, chunked responses, and the
// requests-per-connection limit.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "examples/demo/demo_app.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/tcp_stats.hpp"

namespace cogi::testing {
namespace {

TEST(KeepAlive, ServesManyRequestsOnOneConnection) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  for (int i = 0; i < 20; ++i) {
    client.send("GET /json HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto response = client.read_response();
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"message":"Hello, World!"})");
    EXPECT_FALSE(response.header("connection").has_value());
  }
  EXPECT_FALSE(client.closed_by_peer(std::chrono::milliseconds(100)));
  EXPECT_EQ(server.get().stats().requests_served, 20u);
  EXPECT_EQ(server.get().stats().connections_accepted, 1u);
}

TEST(KeepAlive, PipelinedResponsesComeInRequestOrder) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  // The slow request first: its response must still come first.
  client.send(
      "GET /sleep?ms=150 HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nfirst"
      "GET /stream?n=3 HTTP/1.1\r\nHost: t\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(client.read_response().body, "ok");
  EXPECT_EQ(client.read_response().body, "Hello, World!");
  EXPECT_EQ(client.read_response().body, "first");
  const auto streamed = client.read_response();
  EXPECT_TRUE(streamed.chunked);
  EXPECT_EQ(streamed.body, "chunk 0\nchunk 1\nchunk 2\n");
  EXPECT_EQ(client.read_response().body, "second");
  const auto last = client.read_response();
  EXPECT_EQ(last.status, 404);
  EXPECT_EQ(last.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(KeepAlive, PipelinedRequestsSplitAtEveryByteStillParse) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  const std::string requests =
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"
      "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
  for (char c : requests) {
    client.send(std::string(1, c));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  EXPECT_EQ(client.read_response().body, "ab");
  EXPECT_EQ(client.read_response().body, "Hello, World!");
}

TEST(KeepAlive, PipelinedBatchIsAnsweredInOneWrite) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  std::string batch;
  for (int i = 0; i < 16; ++i) batch += "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
  const auto before = data_segments_received(client.fd());
  client.send(batch);  // one segment on loopback: the server reads all 16 at once
  for (int i = 0; i < 16; ++i) ASSERT_EQ(client.read_response().body, "Hello, World!");
  // The 16 responses were gathered into one write (loopback's MSS is ~64 KiB), instead
  // of one segment each.
  EXPECT_LE(data_segments_received(client.fd()) - before, 2u);
}

TEST(KeepAlive, PipelinedResponseIsNotHeldBackByASlowAppAfterIt) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  const auto start = std::chrono::steady_clock::now();
  client.send(
      "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /sleep?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().body, "Hello, World!");
  // Written while the second app sleeps, not batched with its response.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_EQ(client.read_response().body, "ok");
}

TEST(KeepAlive, Http10ClosesUnlessKeepAliveIsAsked) {
  running_server server(examples::demo_app());
  {
    raw_client client(server.port());
    client.send("GET /plaintext HTTP/1.0\r\n\r\n");
    const auto response = client.read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("connection"), "close");
    EXPECT_TRUE(client.closed_by_peer());
  }
  raw_client client(server.port());
  for (int i = 0; i < 2; ++i) {
    client.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const auto response = client.read_response();
    EXPECT_EQ(response.header("connection"), "keep-alive");
    EXPECT_EQ(response.body, "Hello, World!");
  }
  // A streamed response to HTTP/1.0 cannot be chunked: it ends with the connection.
  client.send("GET /stream?n=2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const auto streamed = client.read_response();
  EXPECT_FALSE(streamed.chunked);
  EXPECT_EQ(streamed.body, "chunk 0\nchunk 1\n");
}

TEST(KeepAlive, ConnectionCloseFromTheClientIsHonoured) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(KeepAlive, ConnectionCloseFromTheAppIsHonoured) {
  const auto app = [](scope&, receive_fn, send_fn send) -> asio::awaitable<void> {
    static constexpr header_field headers[] = {{"connection", "close"}};
    co_await send(response_start{200, headers});
    co_await send(response_body{"bye", false});
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().header("connection"), "close");
  EXPECT_TRUE(client.closed_by_peer());
}

TEST(KeepAlive, HeadGetsHeadersWithoutBody) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  client.send("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto head = client.read_response(true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "13");
  EXPECT_EQ(client.read_response().body, "Hello, World!");  // nothing stray before it
}

// Issue 12: GET /stream?n=3 sends 24 bytes in chunks; its HEAD must not claim
// "content-length: 0" (RFC 9110 §8.6), and the connection stays usable after it.
TEST(KeepAlive, HeadOfAStreamedResponseStatesNoLength) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  client.send("HEAD /stream?n=3 HTTP/1.1\r\nHost: t\r\n\r\nGET /stream?n=3 HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto head = client.read_response(true);
  EXPECT_EQ(head.status, 200);
  EXPECT_FALSE(head.header("content-length").has_value()) << *head.header("content-length");
  EXPECT_EQ(head.header("content-type"), "text/plain; charset=utf-8");
  const auto get = client.read_response();
  EXPECT_TRUE(get.chunked);
  EXPECT_EQ(get.body, "chunk 0\nchunk 1\nchunk 2\n");
}

TEST(KeepAlive, ResponsesCarryDateAndServer) {
  running_server server(examples::demo_app());
  const auto response = get(server.port(), "/plaintext");
  ASSERT_TRUE(response.header("date").has_value());
  EXPECT_TRUE(response.header("date")->ends_with(" GMT"));
  EXPECT_EQ(response.header("server"), "cogi");
}

TEST(KeepAlive, RequestsPerConnectionLimitClosesAfterTheLast) {
  auto config = running_server::quiet_config();
  config.limits.max_requests_per_connection = 3;
  running_server server(examples::demo_app(), config);
  raw_client client(server.port());
  for (int i = 1; i <= 3; ++i) {
    client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto response = client.read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("connection").has_value(), i == 3) << i;
  }
  EXPECT_TRUE(client.closed_by_peer());
}

}  // namespace
}  // namespace cogi::testing
