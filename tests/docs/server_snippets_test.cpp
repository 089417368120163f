// The usage shown in server/contract, server/http and server/runtime header comments,
// compiled and run as written (tests/docs/check_snippets.py checks that every snippet
// line appears in such a test).

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>
#include <thread>

#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "cogi/server/async/run.hpp"
#include "cogi/server/contract/app.hpp"
#include "cogi/server/http/lifespan_exchange.hpp"
#include "cogi/server/runtime/run.hpp"
#include "cogi/server/runtime/server.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/waiting.hpp"

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

// server/runtime/run.hpp: a program that reads options of its own.
int program_main(int argc, const char* argv[]) {
  cogi::server_config defaults;
  defaults.app_options = {{"greeting", "What / answers.", "Hello"}};
  const cogi::parse_result parsed = cogi::parse_command_line(argc, argv, defaults);
  if (!parsed.config) return cogi::report(parsed);  // --help, or a bad command line
  const std::string greeting = parsed.config->option("greeting");
  const cogi::app_fn app = [greeting](cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
    return [](cogi::scope& sc, cogi::send_fn tx, std::string text) -> asio::awaitable<void> {
      if (sc.type != cogi::scope_type::http) co_return;
      co_await tx(cogi::response_start{200, {}});
      co_await tx(cogi::response_body{text, false});
    }(scope, send, greeting);
  };
  return cogi::run(app, *parsed.config);
}

std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

bool answers(std::uint16_t port, const std::string& body) {
  try {
    return cogi::testing::get(port, "/").body == body;
  } catch (const std::exception&) {
    return false;  // not listening yet
  }
}

TEST(ServerSnippets, ProgramWithItsOwnOptions) {
  const char* bad[] = {"program", "--greeting"};
  EXPECT_EQ(program_main(2, bad), 2);
  // Served until SIGTERM, which cogi::run handles as a graceful shutdown.
  const std::uint16_t port = free_port();
  const std::string port_text = std::to_string(port);
  const char* args[] = {"program", "--port", port_text.c_str(), "--loops", "1", "--greeting", "Bonjour",
                        "--log-level", "warning"};
  std::thread stopper([port] {
    const bool up = cogi::testing::eventually([port] { return answers(port, "Bonjour"); },
                                              cogi::testing::scaled(std::chrono::milliseconds(10'000)));
    EXPECT_TRUE(up);
    ::kill(::getpid(), SIGTERM);
  });
  EXPECT_EQ(program_main(9, args), 0);
  stopper.join();
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
