// spawn/task, task_group, gather, sleep and wait_for: results and exceptions, what a
// cancelled coroutine observes and that its cleanup runs, and that timeouts cancel the
// awaited work before they report.

#include "cogi/server/async/task.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/task_group.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/async/run.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;
namespace async = cogi::async;

asio::awaitable<int> answer_after(std::chrono::milliseconds delay, int value) {
  co_await async::sleep_for(delay);
  co_return value;
}

// Its own type, so that no other error (timeout_error is a runtime_error) passes for it.
struct work_failed : std::exception {};

asio::awaitable<int> fail_after(std::chrono::milliseconds delay) {
  co_await async::sleep_for(delay);
  throw work_failed();
}

// Sleeps "forever", recording how it ended: what it caught, and that its cleanup ran.
struct sleep_ending {
  bool saw_cancellation = false;
  bool cleaned_up = false;
};

asio::awaitable<void> sleep_until_cancelled(sleep_ending& end) {
  struct cleanup {
    sleep_ending& end;
    ~cleanup() { end.cleaned_up = true; }
  } guard{end};
  try {
    co_await async::sleep_for(1h);
  } catch (const std::exception& error) {
    end.saw_cancellation = async::is_cancellation(error);
    throw;
  }
}

TEST(Task, ResultIsTheCoroutinesValueOrException) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto ok = async::spawn(ex, answer_after(1ms, 42));
    auto bad = async::spawn(ex, fail_after(1ms));
    EXPECT_FALSE(ok.done());
    EXPECT_EQ(co_await ok.result(), 42);
    EXPECT_EQ(co_await ok.result(), 42);  // again: every waiter gets the value
    EXPECT_TRUE(ok.done());
    EXPECT_THROW(co_await bad.result(), work_failed);
    EXPECT_FALSE(bad.cancelled());
  }());
}

TEST(Task, SpawnedTasksRunConcurrently) {
  const auto start = steady_clock::now();
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<async::task<int>> tasks;
    for (int i = 0; i < 5; ++i) tasks.push_back(async::spawn(ex, answer_after(100ms, i)));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(co_await tasks[static_cast<std::size_t>(i)].result(), i);
  }());
  EXPECT_LT(steady_clock::now() - start, 400ms);  // one sleep, not five
}

TEST(Task, CancelEndsTheAwaitWithCancellationAndCleanupRuns) {
  sleep_ending end;
  async::run([](sleep_ending& e) -> asio::awaitable<void> {
    auto t = async::spawn(co_await asio::this_coro::executor, sleep_until_cancelled(e));
    co_await async::sleep_for(2ms);
    t.cancel();
    EXPECT_THROW(co_await t.result(), async::task_cancelled);
    EXPECT_TRUE(t.cancelled());
  }(end));
  EXPECT_TRUE(end.saw_cancellation);
  EXPECT_TRUE(end.cleaned_up);
}

TEST(Task, CancelledBeforeItsFirstStepNeverRuns) {
  bool ran = false;
  async::run([](bool& started) -> asio::awaitable<void> {
    auto body = [](bool& flag) -> asio::awaitable<void> {
      flag = true;
      co_return;
    };
    auto t = async::spawn(co_await asio::this_coro::executor, body(started));
    t.cancel();  // before this coroutine suspends: the task has not started
    EXPECT_THROW(co_await t.result(), async::task_cancelled);
  }(ran));
  EXPECT_FALSE(ran);
}

TEST(Task, CancellingAWaiterDoesNotCancelTheTask) {
  async::run([]() -> asio::awaitable<void> {
    auto t = async::spawn(co_await asio::this_coro::executor, answer_after(20ms, 7));
    EXPECT_THROW(co_await async::wait_for(t.result(), 1ms), async::timeout_error);
    EXPECT_EQ(co_await t.result(), 7);
  }());
}

TEST(WaitFor, ReturnsTheValueInTimeAndPassesExceptionsThrough) {
  async::run([]() -> asio::awaitable<void> {
    EXPECT_EQ(co_await async::wait_for(answer_after(1ms, 5), 1s), 5);
    EXPECT_THROW(co_await async::wait_for(fail_after(1ms), 1s), work_failed);
  }());
}

TEST(WaitFor, TimeoutCancelsTheWorkAndWaitsForItsCleanup) {
  sleep_ending end;
  const auto start = steady_clock::now();
  async::run([](sleep_ending& e) -> asio::awaitable<void> {
    EXPECT_THROW(co_await async::wait_for(sleep_until_cancelled(e), 20ms), async::timeout_error);
    // Already cleaned up when the timeout is reported.
    EXPECT_TRUE(e.cleaned_up);
  }(end));
  EXPECT_TRUE(end.saw_cancellation);
  EXPECT_LT(steady_clock::now() - start, 1s);
}

TEST(Sleep, WaitsAtLeastTheDuration) {
  const auto start = steady_clock::now();
  async::run(async::sleep_for(30ms));
  EXPECT_GE(steady_clock::now() - start, 30ms);
}

TEST(TaskGroup, WaitsForEveryChild) {
  async::run([]() -> asio::awaitable<void> {
    async::task_group group(co_await asio::this_coro::executor);
    auto a = group.spawn(answer_after(5ms, 1));
    auto b = group.spawn(answer_after(10ms, 2));
    EXPECT_EQ(group.running(), 2u);
    co_await group.wait();
    EXPECT_TRUE(a.done());
    EXPECT_TRUE(b.done());
    EXPECT_EQ(a.take() + b.take(), 3);
  }());
}

TEST(TaskGroup, FirstFailureCancelsSiblingsAndIsRethrownAfterThem) {
  sleep_ending end;
  async::run([](sleep_ending& e) -> asio::awaitable<void> {
    async::task_group group(co_await asio::this_coro::executor);
    auto sibling = group.spawn(sleep_until_cancelled(e));
    group.spawn(fail_after(2ms));
    EXPECT_THROW(co_await group.wait(), work_failed);
    EXPECT_TRUE(sibling.cancelled());
    EXPECT_TRUE(e.cleaned_up);  // before wait() reported
  }(end));
  EXPECT_TRUE(end.saw_cancellation);
}

asio::awaitable<void> parent_of_two(sleep_ending& first, sleep_ending& second) {
  async::task_group group(co_await asio::this_coro::executor);
  group.spawn(sleep_until_cancelled(first));
  group.spawn(sleep_until_cancelled(second));
  co_await group.wait();
}

TEST(TaskGroup, CancellingTheWaiterCancelsTheChildrenAndOutlivesThem) {
  sleep_ending first, second;
  async::run([](sleep_ending& one, sleep_ending& two) -> asio::awaitable<void> {
    auto parent = async::spawn(co_await asio::this_coro::executor, parent_of_two(one, two));
    co_await async::sleep_for(2ms);
    parent.cancel();
    EXPECT_THROW(co_await parent.result(), async::task_cancelled);
    // Both children had ended before the parent did.
    EXPECT_TRUE(one.cleaned_up);
    EXPECT_TRUE(two.cleaned_up);
  }(first, second));
}

TEST(Gather, ResultsInArgumentOrderWhileRunningConcurrently) {
  const auto start = steady_clock::now();
  async::run([]() -> asio::awaitable<void> {
    auto [a, b, nothing] = co_await async::gather(answer_after(100ms, 1), answer_after(50ms, 2), async::sleep_for(100ms));
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 2);
    (void)nothing;  // std::monostate for the void awaitable
    std::vector<asio::awaitable<int>> many;
    for (int i = 0; i < 10; ++i) many.push_back(answer_after(100ms, i * i));
    const auto squares = co_await async::gather(std::move(many));
    EXPECT_EQ(squares.size(), 10u);
    EXPECT_EQ(squares.back(), 81);
  }());
  EXPECT_LT(steady_clock::now() - start, 600ms);  // two rounds of ~100 ms, not 13
}

TEST(Gather, FailureCancelsTheOthers) {
  sleep_ending end;
  async::run([](sleep_ending& e) -> asio::awaitable<void> {
    EXPECT_THROW(co_await async::gather(sleep_until_cancelled(e), fail_after(2ms)), work_failed);
  }(end));
  EXPECT_TRUE(end.saw_cancellation);
  EXPECT_TRUE(end.cleaned_up);
}

}  // namespace
}  // namespace cogi::testing
