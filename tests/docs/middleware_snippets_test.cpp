// The usage shown in middleware/'s header comments, compiled and run as written
// (tests/docs/check_snippets.py checks that every snippet line appears in such a test):
// one app wearing every built-in middleware the way the comments show, asked a request.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/middleware/access_log.hpp"
#include "cogi/middleware/cancel_on_disconnect.hpp"
#include "cogi/middleware/concurrency_limit.hpp"
#include "cogi/middleware/cors.hpp"
#include "cogi/middleware/gzip.hpp"
#include "cogi/middleware/proxy_headers.hpp"
#include "cogi/middleware/request_id.hpp"
#include "cogi/middleware/static_files.hpp"
#include "cogi/middleware/timeout.hpp"
#include "cogi/middleware/trusted_hosts.hpp"
#include "cogi/server/runtime/run.hpp"

namespace middleware_snippets {

cogi::task<> show_request_id(cogi::request& req) {
  std::string_view id = req.header("x-request-id");  // in a handler
  co_return cogi::text(std::string(id));
}

TEST(MiddlewareSnippets, EveryBuiltInAsDocumented) {
  // The directories the static_files snippets name, relative to the working directory
  // (each test runs in a process of its own).
  const auto here = std::filesystem::temp_directory_path() / ("cogi-snippets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(here / "public" / "css");
  std::filesystem::create_directories(here / "dist");
  std::ofstream(here / "public" / "css" / "site.css") << "body {}";
  std::ofstream(here / "dist" / "index.html") << "<p>home</p>";
  std::filesystem::current_path(here);
  cogi::app app;
  app.get("/id", show_request_id);
  app.use(cogi::access_log());                                   // combined, to stdout
  app.use(cogi::access_log({.format = "%h \"%r\" %>s %D us"}));  // your own
  app.use(cogi::access_log({.format = "json"}));                 // a JSON object per line
  app.use(cogi::access_log({.enabled = false}));                 // off
  app.use(cogi::cancel_on_disconnect());                    // a framework app
  app.use(cogi::concurrency_limit({.max_concurrent = 64, .max_waiting = 256}));
  app.use(cogi::cors({.allow_origins = {"https://app.example.com"},
                       .allow_methods = {"GET", "POST"},
                       .allow_headers = {"content-type", "authorization"}}));
  app.use(cogi::gzip({.minimum_size = 500}));
  app.use(cogi::proxy_headers({.trusted = {"10.0.0.0/8", "127.0.0.1"}}));
  app.use(cogi::request_id());
  app.use(cogi::timeout({.limit = std::chrono::seconds(5)}));
  app.use(cogi::trusted_hosts({"example.com", "*.example.com"}));
  app.mount("/static", cogi::static_files("public"));            // GET /static/css/site.css
  app.mount("/", cogi::static_files("dist", {.html = true}));    // index.html for "/"
  cogi::test_client client(app);
  const auto res = client.get("/id", {{"host", "api.example.com"}, {"x-request-id", "abc-123"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "abc-123");
  EXPECT_EQ(res.header("x-request-id"), "abc-123");
  EXPECT_EQ(client.get("/id", {{"host", "evil.test"}}).status, 400);
  EXPECT_EQ(client.get("/static/css/site.css", {{"host", "example.com"}}).body, "body {}");
  EXPECT_EQ(client.get("/", {{"host", "example.com"}}).body, "<p>home</p>");
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  std::filesystem::remove_all(here);
}

// middleware/cancel_on_disconnect.hpp, for any contract app (the same hello as README.md's)
asio::awaitable<void> hello(cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
  if (scope.type != cogi::scope_type::http) co_return;
  static constexpr cogi::header_field headers[] = {{"content-type", "text/plain"}};
  co_await send(cogi::response_start{200, headers});
  co_await send(cogi::response_body{"hello\n", false});
}

int run_guarded(int argc, char** argv) {
  return cogi::run(cogi::cancel_on_disconnect()(hello), argc, argv);  // any app
}

TEST(MiddlewareSnippets, CancelOnDisconnectWrapsAnyApp) {
  char program[] = "snippet";
  char help[] = "--help";
  char* argv[] = {program, help, nullptr};
  EXPECT_EQ(run_guarded(2, argv), 0);  // --help: parses, prints, exits 0
  cogi::test_client client(cogi::cancel_on_disconnect()(hello));
  EXPECT_EQ(client.get("/").body, "hello\n");
}

// server/contract/option_setters.hpp: options in any order, through setters.
TEST(MiddlewareSnippets, OptionSettersInAnyOrder) {
  auto options = cogi::cors_options{}.with_allow_methods({"GET", "POST"}).with_allow_origins({"*"});
  cogi::app app;
  app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("ok"); });
  app.use(cogi::cors(options));
  app.use(cogi::gzip(cogi::gzip_options{}.with_level(9).with_minimum_size(10)));
  cogi::test_client client(app);
  const auto preflight = client.options("/", {{"origin", "https://a.example"}, {"access-control-request-method", "POST"}});
  EXPECT_EQ(preflight.header("access-control-allow-origin"), "*");
  EXPECT_EQ(preflight.header("access-control-allow-methods"), "GET, POST");
  // Named options chain too, and keep what the setters set.
  cogi::server_config config;
  config.with_port(9000).with_loops(2);
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.loops, 2u);
}

}  // namespace middleware_snippets
