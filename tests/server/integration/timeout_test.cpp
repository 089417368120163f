// Timeouts over real sockets: slowloris (the whole head must arrive within the header
// timeout), idle keep-alive connections, and that a stalled client never stalls others.

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "examples/demo/demo_app.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

server_config short_timeouts() {
  auto config = running_server::quiet_config();
  config.limits.header_timeout = 500ms;
  config.limits.keep_alive_timeout = 300ms;
  return config;
}

TEST(Timeouts, SlowlorisGets408AndIsClosedWhileOthersAreServed) {
  running_server server(examples::demo_app(), short_timeouts());
  raw_client slow(server.port());
  const auto start = std::chrono::steady_clock::now();
  // A byte every 100 ms keeps the connection busy but never completes the head.
  std::thread dripper([&slow] {
    const std::string head = "GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    for (std::size_t i = 0; i < head.size() + 20; ++i) {
      try {
        slow.send(i < head.size() ? head.substr(i, 1) : "a");
      } catch (...) {
        return;  // closed by the server: expected
      }
      std::this_thread::sleep_for(100ms);
    }
  });
  // Meanwhile other clients are served at once.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(server.port(), "/plaintext").status, 200);
  const std::string received = slow.read_until_close();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  dripper.join();
  EXPECT_TRUE(received.starts_with("HTTP/1.1 408")) << received;
  EXPECT_GE(elapsed, 450ms);
  EXPECT_LT(elapsed, scaled(2500ms));
}

TEST(Timeouts, ConnectionThatSendsNothingIsClosed) {
  running_server server(examples::demo_app(), short_timeouts());
  raw_client silent(server.port());
  EXPECT_TRUE(silent.closed_by_peer(scaled(3s)));
  EXPECT_TRUE(eventually([&] { return server.get().stats().connections_timed_out == 1; }, scaled(2s)));
}

TEST(Timeouts, IdleKeepAliveConnectionIsClosedAfterTheTimeout) {
  running_server server(examples::demo_app(), short_timeouts());
  raw_client client(server.port());
  client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_peer(scaled(3s)));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, scaled(1500ms));
}

TEST(Timeouts, ParkedIdleConnectionIsServedWhenItWakes) {
  auto config = running_server::quiet_config();
  config.limits.keep_alive_timeout = 5s;
  running_server server(examples::demo_app(), config);
  raw_client client(server.port());
  client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  // Idle past the parking delay (1 s): the connection gives its buffer back and waits
  // without one; the next request must be served as usual.
  ASSERT_TRUE(eventually([&] { return server.get().stats().connections_parked == 1; }, scaled(5s)));
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nagain");
  EXPECT_EQ(client.read_response().body, "again");
}

TEST(Timeouts, ActiveKeepAliveConnectionStaysOpen) {
  running_server server(examples::demo_app(), short_timeouts());
  raw_client client(server.port());
  // Requests 200 ms apart (the client's pace is what is tested, not a wait): each
  // resets the 300 ms idle timer.
  for (int i = 0; i < 6; ++i) {
    client.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(client.read_response().status, 200) << i;
    std::this_thread::sleep_for(200ms);
  }
}

TEST(Timeouts, LongRunningHandlerIsNotCutOffByTheHeaderTimeout) {
  running_server server(examples::demo_app(), short_timeouts());
  const auto response = get(server.port(), "/sleep?ms=900");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
}

}  // namespace
}  // namespace cogi::testing
