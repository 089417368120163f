// Streams on a real server (issue 12): a streaming producer is cancelled when its
// client leaves, even one that is not writing; on graceful shutdown a stream is told to
// end and the client gets a whole response, promptly, instead of the drain waiting out
// its timeout. The tests wait on signals the code gives (the first chunk, a promise the
// producer's cleanup fulfils), never on fixed sleeps.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "cogi/framework/app.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/contract/errors.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

// How a quiet producer ended: by cancellation (true) or otherwise (false).
struct ending_signal {
  std::promise<bool> promise;
  std::future<bool> future = promise.get_future();
};

// GET /quiet: one chunk, then nothing for an hour; its cleanup reports how it ended.
app quiet_stream_app(std::shared_ptr<ending_signal> ended) {
  app a;
  a.get("/quiet", [ended](request&) -> task<> {
    co_return stream([ended](body_writer& out) -> asio::awaitable<void> {
      return [](std::shared_ptr<ending_signal> signal, body_writer& w) -> asio::awaitable<void> {
        co_await w.write("first\n");
        try {
          co_await async::sleep_for(1h);
          signal->promise.set_value(false);
        } catch (const std::exception& error) {
          signal->promise.set_value(async::is_cancellation(error));
          throw;
        }
      }(ended, out);
    });
  });
  return a;
}

TEST(Streaming, ClientLeavingCancelsAQuietProducer) {
  auto ended = std::make_shared<ending_signal>();
  running_server server(quiet_stream_app(ended));
  {
    raw_client client(server.port());
    client.send("GET /quiet HTTP/1.1\r\nHost: t\r\n\r\n");
    client.read_until_contains("first\n");  // the stream is running
  }  // the client closes its connection
  ASSERT_EQ(ended->future.wait_for(10s), std::future_status::ready) << "the producer kept running";
  EXPECT_TRUE(ended->future.get());
  EXPECT_EQ(get(server.port(), "/elsewhere").status, 404);  // the server serves on
}

TEST(Streaming, GracefulShutdownEndsAStreamWithAWholeResponse) {
  auto ended = std::make_shared<ending_signal>();
  auto config = running_server::quiet_config();
  config.graceful_shutdown_timeout = 60s;  // the stream must not need it
  auto server = std::make_unique<running_server>(quiet_stream_app(ended), config);
  raw_client client(server->port());
  client.send("GET /quiet HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string first = client.read_until_contains("first\n");

  const auto start = std::chrono::steady_clock::now();
  server->get().shutdown();
  // The producer is cancelled and the body ended with its last chunk: the client sees a
  // complete chunked response, then the connection closes.
  const std::string rest = client.read_until_close();
  EXPECT_NE((first + rest).find("0\r\n\r\n"), std::string::npos) << first + rest;
  ASSERT_EQ(ended->future.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(ended->future.get());
  server.reset();  // waits for the loops to stop
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s) << "the drain waited for its timeout";
}

// A client that stops reading a stream: the server's write stalls past the body timeout
// and it closes the connection while the framework's disconnect watch is reading the
// socket. The producer is cancelled, nothing of the connection outlives it (ASan would
// see a read completing into freed memory), and the server serves on.
TEST(Streaming, AStalledClientIsClosedAtTheBodyTimeoutCleanly) {
  auto ended = std::make_shared<ending_signal>();
  app a;
  a.get("/flood", [ended](request&) -> task<> {
    co_return stream([ended](body_writer& out) -> asio::awaitable<void> {
      return [](std::shared_ptr<ending_signal> signal, body_writer& w) -> asio::awaitable<void> {
        const std::string chunk(64 * 1024, 'x');
        try {
          for (;;) co_await w.write(chunk);
        } catch (const std::exception& error) {
          signal->promise.set_value(async::is_cancellation(error) || dynamic_cast<const client_disconnected*>(&error));
          throw;
        }
      }(ended, out);
    });
  });
  auto config = running_server::quiet_config();
  config.limits.body_timeout = 300ms;
  running_server server(a, config);
  {
    raw_client client(server.port());
    client.send("GET /flood HTTP/1.1\r\nHost: t\r\n\r\n");
    client.read_until_contains("xxxx");  // streaming; from here on the client reads nothing
    ASSERT_EQ(ended->future.wait_for(scaled(10s)), std::future_status::ready) << "the stalled stream kept going";
    EXPECT_TRUE(ended->future.get());
    EXPECT_TRUE(eventually([&] { return server.get().stats().connections_timed_out == 1; }, scaled(5s)));
  }
  EXPECT_EQ(get(server.port(), "/elsewhere").status, 404);
}

}  // namespace
}  // namespace cogi::testing
