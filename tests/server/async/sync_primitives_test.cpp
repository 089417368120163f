// event, semaphore and lock: wake order, FIFO hand-over without barging, and
// cancellation of a waiter at its await (it leaves the line and takes nothing).

#include "cogi/server/async/event.hpp"
#include "cogi/server/async/lock.hpp"
#include "cogi/server/async/semaphore.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/task.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/async/run.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;
namespace async = cogi::async;

// ---- event ----------------------------------------------------------------------

asio::awaitable<void> wait_and_record(async::event& e, std::vector<int>& order, int id) {
  co_await e.wait();
  order.push_back(id);
}

TEST(Event, SetWakesEveryWaiterInArrivalOrder) {
  async::event e;
  std::vector<int> order;
  async::run([](async::event& ev, std::vector<int>& seen) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto a = async::spawn(ex, wait_and_record(ev, seen, 1));
    auto b = async::spawn(ex, wait_and_record(ev, seen, 2));
    auto c = async::spawn(ex, wait_and_record(ev, seen, 3));
    co_await async::sleep_for(5ms);
    EXPECT_TRUE(seen.empty());
    ev.set();
    co_await a.result();
    co_await b.result();
    co_await c.result();
  }(e, order));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Event, WaitPassesWhileSetAndBlocksAfterClear) {
  async::run([]() -> asio::awaitable<void> {
    async::event ev;
    ev.set();
    co_await ev.wait();  // at once
    ev.clear();
    EXPECT_FALSE(ev.is_set());
    EXPECT_THROW(co_await async::wait_for(ev.wait(), 20ms), async::timeout_error);
  }());
}

TEST(Event, CancelledWaiterLeavesTheOthersWaiting) {
  std::vector<int> order;
  async::run([](std::vector<int>& seen) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::event ev;
    auto a = async::spawn(ex, wait_and_record(ev, seen, 1));
    auto b = async::spawn(ex, wait_and_record(ev, seen, 2));
    co_await async::sleep_for(5ms);
    a.cancel();
    EXPECT_THROW(co_await a.result(), async::task_cancelled);
    EXPECT_TRUE(a.cancelled());
    ev.set();
    co_await b.result();
  }(order));
  EXPECT_EQ(order, (std::vector<int>{2}));
}

// ---- semaphore --------------------------------------------------------------------

asio::awaitable<void> hold(async::semaphore& s, std::vector<std::string>& log, std::string name) {
  co_await s.acquire();
  log.push_back(name + "+");
  co_await async::sleep_for(10ms);
  log.push_back(name + "-");
  s.release();
}

TEST(Semaphore, BoundsConcurrencyAndHandsPermitsOverInArrivalOrder) {
  std::vector<std::string> log;
  async::run([](std::vector<std::string>& entries) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::semaphore s(2);
    std::vector<async::task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d"}) tasks.push_back(async::spawn(ex, hold(s, entries, name)));
    for (auto& t : tasks) co_await t.result();
    EXPECT_EQ(s.available(), 2u);
  }(log));
  // a and b hold the two permits; c gets the first one returned, d the second.
  ASSERT_EQ(log.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(log.begin(), log.begin() + 2), (std::vector<std::string>{"a+", "b+"}));
  const auto position = [&](const std::string& entry) { return std::find(log.begin(), log.end(), entry) - log.begin(); };
  EXPECT_LT(position("a-"), position("c+"));
  EXPECT_LT(position("c+"), position("d+"));
  int held = 0, most = 0;
  for (const auto& entry : log) most = std::max(most, held += entry.back() == '+' ? 1 : -1);
  EXPECT_EQ(most, 2);
}

TEST(Semaphore, NewcomerDoesNotOvertakeWaiters) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::semaphore s(1);
    co_await s.acquire();
    auto waiter = async::spawn(ex, s.acquire());
    co_await async::sleep_for(1ms);
    EXPECT_EQ(s.waiting(), 1u);
    s.release();                   // handed to the waiter, not put back
    EXPECT_FALSE(s.try_acquire());  // even before the waiter has resumed
    co_await waiter.result();
    EXPECT_EQ(s.available(), 0u);
    s.release();
    EXPECT_TRUE(s.try_acquire());
  }());
}

TEST(Semaphore, CancelledWaiterTakesNoPermit) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::semaphore s(0);
    EXPECT_THROW(co_await async::wait_for(s.acquire(), 5ms), async::timeout_error);
    auto cancelled = async::spawn(ex, s.acquire());
    co_await async::sleep_for(1ms);
    cancelled.cancel();
    EXPECT_THROW(co_await cancelled.result(), async::task_cancelled);
    EXPECT_EQ(s.waiting(), 0u);
    s.release();
    EXPECT_EQ(s.available(), 1u);  // nobody took it
  }());
}

// ---- lock ---------------------------------------------------------------------------

asio::awaitable<void> increment_slowly(async::lock& mutex, int& counter, int& overlaps) {
  auto held = co_await mutex.acquire();
  const int seen = counter;
  co_await async::sleep_for(1ms);  // another coroutine would interleave here without the lock
  if (counter != seen) ++overlaps;
  counter = seen + 1;
}

TEST(Lock, SerialisesCriticalSectionsAcrossAwaits) {
  int counter = 0, overlaps = 0;
  async::run([](int& count, int& clashes) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::lock mutex;
    std::vector<async::task<void>> tasks;
    for (int i = 0; i < 10; ++i) tasks.push_back(async::spawn(ex, increment_slowly(mutex, count, clashes)));
    for (auto& t : tasks) co_await t.result();
    EXPECT_FALSE(mutex.locked());
  }(counter, overlaps));
  EXPECT_EQ(counter, 10);
  EXPECT_EQ(overlaps, 0);
}

TEST(Lock, ReleasedWhenTheHolderThrowsOrIsCancelled) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::lock mutex;
    auto thrower = [](async::lock& l) -> asio::awaitable<void> {
      auto held = co_await l.acquire();
      throw std::runtime_error("boom");
    };
    EXPECT_THROW(co_await thrower(mutex), std::runtime_error);
    EXPECT_FALSE(mutex.locked());
    auto sleeper = [](async::lock& l) -> asio::awaitable<void> {
      auto held = co_await l.acquire();
      co_await async::sleep_for(10s);
    };
    auto holder = async::spawn(ex, sleeper(mutex));
    co_await async::sleep_for(1ms);
    EXPECT_TRUE(mutex.locked());
    holder.cancel();
    EXPECT_THROW(co_await holder.result(), async::task_cancelled);
    EXPECT_FALSE(mutex.locked());
  }());
}

}  // namespace
}  // namespace cogi::testing
