#include "cogi/middleware/timeout.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"

namespace {

using namespace std::chrono_literals;

TEST(Timeout, SlowHandlerIsCancelledAnd504) {
  static bool cleaned_up = false, finished = false;
  cogi::app app;
  app.get("/slow", [](cogi::request&) -> cogi::task<> {
    struct cleanup {
      ~cleanup() { cleaned_up = true; }
    } guard;
    co_await cogi::async::sleep_for(10s);
    finished = true;
    co_return cogi::text("too late");
  });
  app.get("/fast", [](cogi::request&) -> cogi::task<> { co_return cogi::text("fast"); });
  app.use(cogi::timeout({.limit = 50ms}));
  cogi::test_client client(app);

  const auto started = std::chrono::steady_clock::now();
  const auto res = client.get("/slow");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(res.status, 504);
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_NE(res.body.find("took longer than 0.05 s"), std::string::npos);
  EXPECT_TRUE(cleaned_up);
  EXPECT_FALSE(finished);
  EXPECT_EQ(client.get("/fast").body, "fast");
}

TEST(Timeout, AfterTheHeadTheStreamIsCut) {
  cogi::app app;
  app.get("/stream", [](cogi::request&) -> cogi::task<> {
    co_return cogi::stream([](cogi::body_writer& out) -> asio::awaitable<void> {
      co_await out.write("first");
      co_await cogi::async::sleep_for(10s);
    });
  });
  app.use(cogi::timeout({.limit = 50ms}));
  cogi::test_client client(app);
  EXPECT_THROW(client.get("/stream"), cogi::async::timeout_error);  // a server closes the connection
}

}  // namespace
