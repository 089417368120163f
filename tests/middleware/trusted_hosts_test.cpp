#include "cogi/middleware/trusted_hosts.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"
#include "tests/middleware/support.hpp"

namespace {

TEST(TrustedHosts, OthersGet400) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::trusted_hosts({"example.com", "*.api.example.com"}));
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/hello", {{"host", "example.com"}}).status, 200);
  EXPECT_EQ(client.get("/hello", {{"host", "EXAMPLE.com:8443"}}).status, 200);
  EXPECT_EQ(client.get("/hello", {{"host", "v1.api.example.com"}}).status, 200);
  const auto res = client.get("/hello", {{"host", "evil.com"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, "Invalid host header");
  EXPECT_EQ(client.get("/hello", {{"host", "api.example.com"}}).status, 400);  // "*." needs a subdomain
  EXPECT_EQ(client.get("/hello", {{"host", "notexample.com"}}).status, 400);
}

TEST(TrustedHosts, WebSocketHandshakesAreCheckedToo) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::trusted_hosts({"example.com"}));
  cogi::test_client client(app);
  EXPECT_EQ(client.websocket_connect("/ws/seen", {{"host", "example.com"}}).receive_text(), "ws testclient");
  try {
    client.websocket_connect("/ws/seen", {{"host", "evil.com"}});
    FAIL() << "refused";
  } catch (const cogi::websocket_refused& refused) {
    EXPECT_EQ(refused.response.status, 400);
    EXPECT_EQ(refused.response.body, "Invalid host header");
  }
}

TEST(TrustedHosts, Patterns) {
  EXPECT_TRUE(cogi::host_allowed("anything", {"*"}));
  EXPECT_TRUE(cogi::host_allowed("[::1]:8000", {"[::1]"}));
  EXPECT_FALSE(cogi::host_allowed("", {"example.com"}));
}

}  // namespace
