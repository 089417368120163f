// The test client as a second server: it checks the contract's message order, frames
// responses as the server does, reports app failures, and runs raw contract apps.
#include "cogi/framework/test_client.hpp"

#include <gtest/gtest.h>

#include "examples/demo/demo_app.hpp"
#include "cogi/server/contract/errors.hpp"

namespace {

asio::awaitable<void> body_before_start(cogi::scope&, cogi::receive_fn, cogi::send_fn send) {
  co_await send(cogi::response_body{"x", false});
}

asio::awaitable<void> two_starts(cogi::scope&, cogi::receive_fn, cogi::send_fn send) {
  co_await send(cogi::response_start{200, {}});
  co_await send(cogi::response_start{200, {}});
}

asio::awaitable<void> never_answers(cogi::scope&, cogi::receive_fn, cogi::send_fn) { co_return; }

asio::awaitable<void> throws(cogi::scope& scope, cogi::receive_fn, cogi::send_fn) {
  if (scope.type == cogi::scope_type::lifespan) co_return;
  throw std::runtime_error("app failure");
}

TEST(TestClient, MessageOrderIsChecked) {
  cogi::test_client a(body_before_start);
  EXPECT_THROW(a.get("/"), cogi::protocol_error);
  cogi::test_client b(two_starts);
  EXPECT_THROW(b.get("/"), cogi::protocol_error);
  cogi::test_client c(never_answers);
  EXPECT_THROW(c.get("/"), std::runtime_error);
}

TEST(TestClient, AppExceptionsAreRaisedOrBecome500) {
  cogi::test_client raising(throws);
  EXPECT_THROW(raising.get("/"), std::runtime_error);
  cogi::test_client serving(throws, {.raise_app_exceptions = false});
  EXPECT_EQ(serving.get("/").status, 500);
}

TEST(TestClient, RunsTheDemoApp) {
  // The same app the server runs, streamed echo and chunked stream included.
  cogi::test_client client(cogi::examples::demo_app());
  auto res = client.get("/plaintext");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "Hello, World!");
  EXPECT_EQ(res.header("content-length"), "13");

  cogi::test_request upload;
  upload.method = "POST";
  upload.target = "/echo";
  upload.body_chunks = {"first ", "second ", "third"};
  res = client.request(upload);
  EXPECT_EQ(res.body, "first second third");
  EXPECT_EQ(res.chunks.size(), 3u);  // streamed back piece by piece, never buffered
  EXPECT_EQ(res.header("transfer-encoding"), "chunked");

  res = client.get("/stream?n=3");
  EXPECT_EQ(res.chunks, (std::vector<std::string>{"chunk 0\n", "chunk 1\n", "chunk 2\n"}));
  EXPECT_EQ(client.get("/missing").status, 404);
  EXPECT_EQ(client.head("/plaintext").body, "");
}

asio::awaitable<void> reports_disconnect(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) {
  if (scope.type == cogi::scope_type::lifespan) co_return;
  auto first = co_await receive();
  static constexpr cogi::header_field headers[] = {{"content-type", "text/plain"}};
  co_await send(cogi::response_start{200, headers});
  co_await send(cogi::response_body{first.body, false});
  // After the response, receive() reports the end of the exchange (ASGI http.disconnect).
  const auto after = co_await receive();
  if (after.type != cogi::receive_type::http_disconnect) throw std::logic_error("expected a disconnect");
}

TEST(TestClient, ReceiveAfterTheResponseIsADisconnect) {
  cogi::test_client client(reports_disconnect);
  EXPECT_EQ(client.post("/", "payload").body, "payload");
}

}  // namespace
