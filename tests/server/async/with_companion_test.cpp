// async::with_companion: whichever of the work and its companion ends first stops the
// other, both have ended before the call returns, and the outcome is the work's.

#include "cogi/server/async/with_companion.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/sleep.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;
namespace async = cogi::async;

// Records how a coroutine ended, from its destructor-time cleanup.
struct work_ending {
  bool finished = false;
  bool cancelled = false;
};

asio::awaitable<std::string> works_for(std::chrono::milliseconds time, work_ending& end) {
  try {
    co_await async::sleep_for(time);
  } catch (const std::exception& error) {
    end.cancelled = async::is_cancellation(error);
    throw;
  }
  end.finished = true;
  co_return "done";
}

asio::awaitable<void> companion_for(std::chrono::milliseconds time, work_ending& end) {
  co_await works_for(time, end);
}

TEST(WithCompanion, WorkEndingFirstStopsTheCompanionBeforeReturning) {
  work_ending work, companion;
  const auto result = async::run([](work_ending& w, work_ending& c) -> asio::awaitable<std::string> {
    co_return co_await async::with_companion(works_for(5ms, w), companion_for(10s, c));
  }(work, companion));
  EXPECT_EQ(result, "done");
  EXPECT_TRUE(work.finished);
  EXPECT_TRUE(companion.cancelled);  // already stopped when with_companion returned
}

TEST(WithCompanion, CompanionEndingFirstCancelsTheWork) {
  work_ending work, companion;
  async::run([](work_ending& w, work_ending& c) -> asio::awaitable<void> {
    try {
      co_await async::with_companion(works_for(10s, w), companion_for(5ms, c));
      ADD_FAILURE() << "the work was not cancelled";
    } catch (const std::system_error& error) {
      EXPECT_TRUE(async::is_cancellation(error));
    }
  }(work, companion));
  EXPECT_TRUE(companion.finished);
  EXPECT_TRUE(work.cancelled);
}

asio::awaitable<int> fails() {
  co_await async::sleep_for(1ms);
  throw std::runtime_error("work failed");
}

asio::awaitable<void> companion_fails() {
  co_await async::sleep_for(1ms);
  throw std::runtime_error("companion failed");
}

TEST(WithCompanion, TheOutcomeIsTheWorks) {
  work_ending companion, work;
  EXPECT_THROW(async::run([](work_ending& c) -> asio::awaitable<int> {
                 co_return co_await async::with_companion(fails(), companion_for(10s, c));
               }(companion)),
               std::runtime_error);
  EXPECT_TRUE(companion.cancelled);
  // A companion's failure is not reported: it stops the work, whose cancellation is.
  try {
    async::run([](work_ending& w) -> asio::awaitable<void> {
      co_await async::with_companion(companion_for(10s, w), companion_fails());
    }(work));
    ADD_FAILURE() << "no exception";
  } catch (const std::system_error& error) {
    EXPECT_TRUE(async::is_cancellation(error));
  }
  EXPECT_TRUE(work.cancelled);
}

}  // namespace
}  // namespace cogi::testing
