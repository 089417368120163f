// The usage shown in server/contract, server/http and server/runtime header comments,
// compiled and run as written (tests/docs/check_snippets.py checks that every snippet
// line appears in such a test).

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "server/async/run.hpp"
#include "server/contract/app.hpp"
#include "server/http/lifespan_exchange.hpp"
#include "server/runtime/server.hpp"
#include "tests/support/raw_client.hpp"

namespace server_snippets {

// server/contract/app.hpp: an app is a coroutine of this shape.
namespace shape {
asio::awaitable<void> app(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send);
asio::awaitable<void> app(cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
  if (scope.type != cogi::scope_type::http) co_return;
  co_await send(cogi::response_start{204, {}});
  co_await send(cogi::response_body{{}, false});
}
}  // namespace shape

// server/runtime/server.hpp
TEST(ServerSnippets, EmbeddedServer) {
  const cogi::app_fn app = shape::app;
  cogi::server_config config;
  config.port = 0;
  config.loops = 1;
  config.log_level = "warning";
  cogi::server server(app, config);
  server.start();      // lifespan startup on every loop, then bind and accept
  // ...                  // server.tcp_endpoints() tells the bound ports
  EXPECT_EQ(cogi::testing::get(server.tcp_endpoints().front().port(), "/").status, 204);
  server.shutdown();   // from any thread: graceful drain
  server.wait();       // returns when every loop has stopped
}

// server/http/lifespan_exchange.hpp
TEST(ServerSnippets, LifespanExchange) {
  namespace http = cogi::http;
  cogi::state_map state;
  const cogi::app_fn lifespan_app = [](cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) {
    return [](cogi::scope& sc, cogi::receive_fn rx, cogi::send_fn tx) -> asio::awaitable<void> {
      if (sc.type != cogi::scope_type::lifespan) co_return;
      co_await rx();
      co_await tx(cogi::lifespan_startup_complete{});
      co_await rx();
      co_await tx(cogi::lifespan_shutdown_complete{});
    }(scope, receive, send);
  };
  cogi::async::run([](cogi::state_map& loop_state, const cogi::app_fn& app) -> asio::awaitable<void> {
    http::lifespan_exchange lifespan(loop_state);
    const std::optional<std::string> failure = co_await lifespan.startup(app);  // startup_failed's message
    EXPECT_FALSE(failure);
    EXPECT_TRUE(lifespan.supported());
    co_await lifespan.shutdown();
  }(state, lifespan_app));
}

}  // namespace server_snippets
