#include "cogi/middleware/proxy_headers.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"
#include "tests/middleware/support.hpp"

namespace {

// The test client's peer is "testclient", which is not an address: trust it with "*"
// or not at all.
TEST(ProxyHeaders, TrustedProxySetsClientAndScheme) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::proxy_headers({.trusted = {"*"}}));
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/seen", {{"x-forwarded-for", "203.0.113.7"}, {"x-forwarded-proto", "https"}}).body,
            "https 203.0.113.7 ");
  EXPECT_EQ(client.get("/seen", {{"x-forwarded-proto", "gopher"}}).body, "http testclient ");
}

TEST(ProxyHeaders, WebSocketsBehindATlsProxyAreWss) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::proxy_headers({.trusted = {"*"}}));
  cogi::test_client client(app);
  auto ws = client.websocket_connect("/ws/seen", {{"x-forwarded-for", "203.0.113.7"}, {"x-forwarded-proto", "https"}});
  EXPECT_EQ(ws.receive_text(), "wss 203.0.113.7");
}

TEST(ProxyHeaders, UntrustedPeerIsIgnored) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::proxy_headers({.trusted = {"10.0.0.0/8"}}));
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/seen", {{"x-forwarded-for", "1.2.3.4"}, {"x-forwarded-proto", "https"}}).body,
            "http testclient ");
}

TEST(ProxyHeaders, ForwardedForSkipsTrustedHopsFromTheRight) {
  // Client 198.51.100.1 -> proxy 10.0.0.5 -> proxy 10.0.0.6 -> cogi. Whatever the client
  // itself put in front ("6.6.6.6") is not believed.
  auto app = cogi::testing::echo_app();
  app.use(cogi::proxy_headers({.trusted = {"10.0.0.0/8"}}));
  cogi::test_client client(app, {.client = {"10.0.0.6", 40000}});
  EXPECT_EQ(client.get("/seen", {{"x-forwarded-for", "6.6.6.6, 198.51.100.1, 10.0.0.5"}}).body,
            "http 198.51.100.1 ");
  EXPECT_EQ(client.get("/seen", {{"x-forwarded-for", "10.1.1.1, 10.0.0.5"}}).body, "http 10.1.1.1 ");  // all trusted

  cogi::test_client v6(app, {.client = {"::1", 40000}});
  EXPECT_EQ(v6.get("/seen", {{"x-forwarded-for", "198.51.100.1"}}).body, "http ::1 ");  // ::1 is not trusted here
}

TEST(ProxyHeaders, BadEntriesAreRejected) {
  EXPECT_THROW(cogi::proxy_headers({.trusted = {"not-an-ip"}}), std::invalid_argument);
  EXPECT_THROW(cogi::proxy_headers({.trusted = {"10.0.0.0/33"}}), std::invalid_argument);
  EXPECT_NO_THROW(cogi::proxy_headers({.trusted = {"fd00::/8", "::1"}}));
}

}  // namespace
