// async::cancel_on_disconnect on a real server: a handler still working when its client
// closes the connection is cancelled (its cleanup runs); requests whose clients stay are
// served as before, keep-alive included.

#include "server/async/cancel_on_disconnect.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "server/async/cancellation.hpp"
#include "server/async/sleep.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

std::atomic<int> cancelled_handlers{0};

asio::awaitable<void> slow_app(scope& s, receive_fn receive, send_fn send) {
  if (s.type != scope_type::http) co_return;
  std::string body;
  for (;;) {  // read the whole body first, as handlers do
    const auto event = co_await receive();
    body.append(event.body);
    if (event.type != receive_type::http_request || !event.more_body) break;
  }
  try {
    if (s.path == "/slow") co_await async::sleep_for(5s);
  } catch (const std::exception& error) {
    if (async::is_cancellation(error)) ++cancelled_handlers;
    throw;
  }
  static constexpr header headers[] = {{"content-type", "text/plain"}};
  co_await send(response_start{200, headers});
  co_await send(response_body{body.empty() ? std::string_view("ok") : std::string_view(body), false});
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds within) {
  for (auto end = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < end;) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST(CancelOnDisconnect, HandlerOfAClientThatLeftIsCancelled) {
  cancelled_handlers = 0;
  running_server server(async::cancel_on_disconnect(slow_app));
  {
    raw_client client(server.port());
    client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    std::this_thread::sleep_for(100ms);
  }  // the client closes its connection
  EXPECT_TRUE(eventually([] { return cancelled_handlers == 1; }, 2s));
  {
    raw_client client(server.port());  // with a body the app has read
    client.send("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(eventually([] { return cancelled_handlers == 2; }, 2s));
}

TEST(CancelOnDisconnect, ClientsThatStayAreServedWithKeepAlive) {
  cancelled_handlers = 0;
  running_server server(async::cancel_on_disconnect(slow_app));
  raw_client client(server.port());
  for (int i = 0; i < 3; ++i) {
    client.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(client.read_response().body, "ok");
    client.send("POST /fast HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\necho");
    EXPECT_EQ(client.read_response().body, "echo");
  }
  EXPECT_FALSE(client.closed_by_peer(100ms));
  EXPECT_EQ(cancelled_handlers, 0);
}

}  // namespace
}  // namespace cogi::testing
