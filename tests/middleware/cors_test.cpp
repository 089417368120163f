#include "cogi/middleware/cors.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"
#include "tests/middleware/support.hpp"

namespace {

cogi::app cors_app(cogi::cors_options options) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::cors(std::move(options)));
  return app;
}

// Cross-site WebSocket hijacking: a page from another origin opening a WebSocket with
// the user's cookies. Browsers send Origin and apply no CORS: the server refuses.
TEST(Cors, WebSocketsFromOtherOriginsAreRefused) {
  cogi::test_client client(cors_app({.allow_origins = {"https://app.example"}}));
  EXPECT_EQ(client.websocket_connect("/ws/seen", {{"origin", "https://app.example"}}).receive_text(), "ws testclient");
  EXPECT_EQ(client.websocket_connect("/ws/seen").receive_text(), "ws testclient") << "no Origin: not a browser page";
  try {
    client.websocket_connect("/ws/seen", {{"origin", "https://evil.example"}});
    FAIL() << "refused";
  } catch (const cogi::websocket_refused& refused) {
    EXPECT_EQ(refused.response.status, 403);
  }
}

TEST(Cors, PreflightFromAnAllowedOrigin) {
  cogi::test_client client(cors_app({.allow_origins = {"https://app.example"},
                                     .allow_methods = {"GET", "POST"},
                                     .allow_headers = {"x-token"},
                                     .max_age = std::chrono::seconds(60)}));
  const auto res = client.options("/hello", {{"origin", "https://app.example"},
                                             {"access-control-request-method", "POST"},
                                             {"access-control-request-headers", "X-Token, content-type"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(res.header("access-control-allow-methods"), "GET, POST");
  EXPECT_NE(res.header("access-control-allow-headers").find("x-token"), std::string_view::npos);
  EXPECT_EQ(res.header("access-control-max-age"), "60");
  EXPECT_EQ(res.header("vary"), "Origin");
}

// Issue 12: a safelisted header named again in allow_headers is listed once.
TEST(Cors, PreflightListsEachAllowedHeaderOnce) {
  cogi::test_client client(cors_app({.allow_origins = {"https://app.example"},
                                     .allow_headers = {"content-type", "Accept", "x-token"}}));
  const auto res = client.options("/hello", {{"origin", "https://app.example"},
                                             {"access-control-request-method", "GET"},
                                             {"access-control-request-headers", "content-type"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("access-control-allow-headers"), "accept, accept-language, content-language, content-type, x-token");
}

TEST(Cors, PreflightRefusalsSayWhat) {
  cogi::test_client client(cors_app({.allow_origins = {"https://app.example"}}));
  auto res = client.options("/hello", {{"origin", "https://evil.example"}, {"access-control-request-method", "GET"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, "Disallowed CORS origin");
  EXPECT_EQ(res.header("access-control-allow-origin"), "");
  res = client.options("/hello", {{"origin", "https://app.example"}, {"access-control-request-method", "DELETE"},
                                  {"access-control-request-headers", "x-secret"}});
  EXPECT_EQ(res.body, "Disallowed CORS method, headers");
}

TEST(Cors, SimpleRequestsGetTheHeaders) {
  cogi::test_client client(cors_app({.allow_origins = {"https://app.example"}, .expose_headers = {"x-total"}}));
  auto res = client.get("/hello", {{"origin", "https://app.example"}});
  EXPECT_EQ(res.body, "hello");
  EXPECT_EQ(res.header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(res.header("access-control-expose-headers"), "x-total");
  EXPECT_EQ(res.header("vary"), "Origin");
  res = client.get("/hello", {{"origin", "https://other.example"}});
  EXPECT_EQ(res.status, 200);  // served, but the browser will not show it to the page
  EXPECT_EQ(res.header("access-control-allow-origin"), "");
  EXPECT_EQ(client.get("/hello").header("access-control-allow-origin"), "");  // no Origin: untouched
}

TEST(Cors, WildcardAndCredentials) {
  cogi::test_client open(cors_app({.allow_origins = {"*"}}));
  EXPECT_EQ(open.get("/hello", {{"origin", "https://x.example"}}).header("access-control-allow-origin"), "*");
  cogi::test_client creds(cors_app({.allow_origins = {"*"}, .allow_credentials = true}));
  const auto res = creds.get("/hello", {{"origin", "https://x.example"}});
  EXPECT_EQ(res.header("access-control-allow-origin"), "https://x.example");  // "*" is refused with credentials
  EXPECT_EQ(res.header("access-control-allow-credentials"), "true");
}

}  // namespace
