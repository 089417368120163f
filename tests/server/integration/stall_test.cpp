// The loop-stall detector on a real server: a handler that blocks its loop is named in
// a warning (method and path) with how long the loop was stuck, and counted; ordinary
// traffic raises nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "cogi/server/contract/log.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

asio::awaitable<void> blocking_app(scope& s, receive_fn, send_fn send) {
  if (s.type != scope_type::http) co_return;
  // The mistake the detector exists for: a blocking call on the loop.
  if (s.path == "/block") std::this_thread::sleep_for(300ms);
  static constexpr header_field headers[] = {{"content-type", "text/plain"}};
  co_await send(response_start{200, headers});
  co_await send(response_body{"done", false});
}

TEST(StallDetector, NamesTheRequestThatBlockedTheLoopAndCountsIt) {
  auto config = running_server::quiet_config();
  config.stall_threshold = 100ms;
  log::set_level(log::level::warning);
  running_server server(blocking_app, config);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get(server.port(), "/fast").status, 200);
  EXPECT_EQ(server.get().stats().loop_stalls, 0u);

  ::testing::internal::CaptureStderr();
  EXPECT_EQ(get(server.port(), "/block").body, "done");
  // The detector counts the stall (after logging it) once the loop runs again.
  const bool counted = eventually([&] { return server.get().stats().loop_stalls >= 1; }, scaled(5s));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  log::set_level(log::level::info);
  EXPECT_TRUE(counted);
  EXPECT_NE(logged.find("event loop blocked for"), std::string::npos) << logged;
  EXPECT_NE(logged.find("GET /block"), std::string::npos) << logged;
}

TEST(StallDetector, ThresholdZeroTurnsItOff) {
  auto config = running_server::quiet_config();
  config.stall_threshold = 0ms;
  running_server server(blocking_app, config);
  EXPECT_EQ(get(server.port(), "/block").status, 200);
  EXPECT_EQ(server.get().stats().loop_stalls, 0u);  // no detector runs at all
}

}  // namespace
}  // namespace cogi::testing
