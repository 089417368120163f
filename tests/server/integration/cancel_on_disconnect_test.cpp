// cogi::cancel_on_disconnect on a real server: a handler still working when its client
// closes the connection is cancelled (its cleanup runs); requests whose clients stay are
// served as before, keep-alive included. The test waits for the app's own signals (it
// has started, it was cancelled), never for a fixed time.

#include "cogi/middleware/cancel_on_disconnect.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

// What the slow handler tells the test, from the server's loop.
struct handler_signals {
  std::mutex mutex;
  std::promise<void> started;
  std::promise<bool> ended;  // true: cancelled
  int cancelled = 0;
};

app_fn slow_app(std::shared_ptr<handler_signals> signals) {
  return [signals](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    return [](std::shared_ptr<handler_signals> sig, scope& sc, receive_fn rx, send_fn tx) -> asio::awaitable<void> {
      if (sc.type != scope_type::http) co_return;
      std::string body;
      for (;;) {  // read the whole body first, as handlers do
        const auto event = co_await rx();
        body.append(event.body);
        if (event.type != receive_type::http_request || !event.more_body) break;
      }
      if (sc.path == "/slow") {
        sig->started.set_value();
        try {
          co_await async::sleep_for(30s);  // the client leaves long before
          sig->ended.set_value(false);
        } catch (const std::exception& error) {
          std::lock_guard lock(sig->mutex);
          ++sig->cancelled;
          sig->ended.set_value(async::is_cancellation(error));
          throw;
        }
      }
      static constexpr header_field headers[] = {{"content-type", "text/plain"}};
      co_await tx(response_start{200, headers});
      co_await tx(response_body{body.empty() ? std::string_view("ok") : std::string_view(body), false});
    }(signals, s, receive, send);
  };
}

// Sends `request`, waits until the handler has started, leaves, and returns whether the
// handler was cancelled (false also when it did not end within 10 s).
bool cancelled_after_leaving(std::uint16_t port, const std::string& request, handler_signals& signals) {
  auto started = signals.started.get_future();
  auto ended = signals.ended.get_future();
  {
    raw_client client(port);
    client.send(request);
    if (started.wait_for(10s) != std::future_status::ready) return false;
  }  // the client closes its connection
  return ended.wait_for(10s) == std::future_status::ready && ended.get();
}

TEST(CancelOnDisconnect, HandlerOfAClientThatLeftIsCancelled) {
  auto signals = std::make_shared<handler_signals>();
  running_server server(cancel_on_disconnect()(slow_app(signals)));
  EXPECT_TRUE(cancelled_after_leaving(server.port(), "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n", *signals));
  // With a body the app has read.
  signals->started = {};
  signals->ended = {};
  EXPECT_TRUE(cancelled_after_leaving(server.port(),
                                      "POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", *signals));
  std::lock_guard lock(signals->mutex);
  EXPECT_EQ(signals->cancelled, 2);
}

TEST(CancelOnDisconnect, ClientsThatStayAreServedWithKeepAlive) {
  auto signals = std::make_shared<handler_signals>();
  running_server server(cancel_on_disconnect()(slow_app(signals)));
  raw_client client(server.port());
  for (int i = 0; i < 3; ++i) {
    client.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(client.read_response().body, "ok");
    client.send("POST /fast HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\necho");
    EXPECT_EQ(client.read_response().body, "echo");
  }
  // Still open: a request on it is answered.
  client.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().body, "ok");
  std::lock_guard lock(signals->mutex);
  EXPECT_EQ(signals->cancelled, 0);
}

}  // namespace
}  // namespace cogi::testing
