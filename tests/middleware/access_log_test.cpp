#include "cogi/middleware/access_log.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "cogi/framework/test_client.hpp"
#include "tests/middleware/support.hpp"

namespace {

TEST(AccessLog, CombinedFormatByDefault) {
  std::vector<std::string> lines;
  auto app = cogi::testing::echo_app();
  app.use(cogi::access_log({.sink = [&](std::string_view line) { lines.emplace_back(line); }}));
  cogi::test_client client(app);
  client.get("/hello?x=1", {{"referer", "https://ref.example/"}, {"user-agent", "curl/7.88 \"quoted\""}});
  client.get("/missing");
  ASSERT_EQ(lines.size(), 2u);
  const std::regex combined(
      R"(testclient - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET /hello\?x=1 HTTP/1.1" 200 5 "https://ref.example/" "curl/7.88 \\"quoted\\"")");
  EXPECT_TRUE(std::regex_match(lines[0], combined)) << lines[0];
  EXPECT_NE(lines[1].find("\"GET /missing HTTP/1.1\" 404 "), std::string::npos) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(" \"-\" \"-\"")) << lines[1];
}

TEST(AccessLog, CustomFormatAndOff) {
  std::vector<std::string> lines;
  auto app = cogi::testing::echo_app();
  app.use(cogi::access_log({.format = "%m %U%q %s %B %{content-type}o %D%%",
                             .sink = [&](std::string_view line) { lines.emplace_back(line); }}));
  cogi::test_client client(app);
  client.get("/hello?a=b");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(GET /hello\?a=b 200 5 text/plain; charset=utf-8 \d+%)")))
      << lines[0];

  EXPECT_THROW(cogi::access_log({.format = "%Z"}), std::invalid_argument);
  auto quiet = cogi::testing::echo_app();
  quiet.use(cogi::access_log({.enabled = false, .sink = [&](std::string_view line) { lines.emplace_back(line); }}));
  cogi::test_client silent(quiet);
  silent.get("/hello");
  EXPECT_EQ(lines.size(), 1u);
}

TEST(AccessLog, FailedRequestIsLoggedAs500) {
  std::vector<std::string> lines;
  cogi::app app;
  app.use(cogi::access_log({.format = "%s", .sink = [&](std::string_view line) { lines.emplace_back(line); }}));
  auto raw = [](cogi::scope& sc, cogi::receive_fn, cogi::send_fn) -> asio::awaitable<void> {
    if (sc.type == cogi::scope_type::http) throw std::runtime_error("broken app");
    co_return;
  };
  app.mount("", raw);
  cogi::test_client client(app, {.raise_app_exceptions = false});
  EXPECT_EQ(client.get("/x").status, 500);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "500");
}

}  // namespace
