#include "cogi/middleware/concurrency_limit.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/sleep.hpp"

namespace {

using namespace std::chrono_literals;

cogi::app slow_app(std::chrono::milliseconds work, int& peak) {
  static int running = 0;
  running = 0;
  cogi::app app;
  app.get("/work", [work, &peak](cogi::request&) -> cogi::task<> {
    return [](std::chrono::milliseconds w, int& p) -> cogi::task<> {
      ++running;
      p = std::max(p, running);
      co_await cogi::async::sleep_for(w);
      --running;
      co_return cogi::text("done");
    }(work, peak);
  });
  return app;
}

std::vector<cogi::test_request> gets(int n) { return std::vector<cogi::test_request>(n, {.target = "/work"}); }

TEST(ConcurrencyLimit, AtMostNAtOnceTheRestWaitInLine) {
  int peak = 0;
  auto app = slow_app(20ms, peak);
  app.use(cogi::concurrency_limit({.max_concurrent = 2, .max_waiting = 10, .wait_timeout = 5s}));
  cogi::test_client client(app);
  const auto responses = client.concurrently(gets(6));
  for (const auto& res : responses) EXPECT_EQ(res.status, 200);
  EXPECT_EQ(peak, 2);
}

TEST(ConcurrencyLimit, FullQueueIs503WithRetryAfter) {
  int peak = 0;
  auto app = slow_app(50ms, peak);
  app.use(cogi::concurrency_limit({.max_concurrent = 1, .max_waiting = 1, .retry_after = std::chrono::seconds(7)}));
  cogi::test_client client(app);
  const auto responses = client.concurrently(gets(4));
  EXPECT_EQ(responses[0].status, 200);  // runs
  EXPECT_EQ(responses[1].status, 200);  // waits its turn
  for (int i : {2, 3}) {                // no room in line
    EXPECT_EQ(responses[i].status, 503);
    EXPECT_EQ(responses[i].header("retry-after"), "7");
  }
}

TEST(ConcurrencyLimit, WaitingTooLongIs503) {
  int peak = 0;
  auto app = slow_app(300ms, peak);
  app.use(cogi::concurrency_limit({.max_concurrent = 1, .max_waiting = 5, .wait_timeout = 30ms}));
  cogi::test_client client(app);
  const auto responses = client.concurrently(gets(2));
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[1].status, 503);
  EXPECT_EQ(client.get("/work").status, 200);  // the permit came back
}

}  // namespace
