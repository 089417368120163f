// Bridges between loops and threads: run_blocking (a bounded pool that never stalls the
// loop, resuming the caller on its own thread), run_coroutine_threadsafe, thread_queue.

#include "cogi/server/async/run_blocking.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run_coroutine_threadsafe.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/thread_queue.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/async/run.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;
namespace async = cogi::async;

TEST(RunBlocking, ReturnsTheValueOnTheCallersThread) {
  async::run([]() -> asio::awaitable<void> {
    const auto loop_thread = std::this_thread::get_id();
    const auto [value, worker] = co_await async::run_blocking([] { return std::pair(6 * 7, std::this_thread::get_id()); });
    EXPECT_EQ(value, 42);
    EXPECT_NE(worker, loop_thread);                      // ran elsewhere
    EXPECT_EQ(std::this_thread::get_id(), loop_thread);  // and we are back
    co_await async::run_blocking([] {});                 // void works too
  }());
}

std::size_t total_length(const std::string& a, std::string b) { return a.size() + b.size(); }

// asyncio's to_thread(func, *args): a function and its arguments, moved into the call.
TEST(RunBlocking, TakesAFunctionAndItsArguments) {
  async::run([]() -> asio::awaitable<void> {
    const std::string text(100, 'x');
    EXPECT_EQ(co_await async::run_blocking(total_length, text, std::string(50, 'y')), 150u);
    auto owned = std::make_unique<int>(7);  // move-only arguments work
    EXPECT_EQ(co_await async::run_blocking([](std::unique_ptr<int> p) { return *p; }, std::move(owned)), 7);
  }());
}

// The call owns its arguments: one still running after its caller gave up reads them
// safely (AddressSanitizer would report a borrowed one).
TEST(RunBlocking, ArgumentsOutliveACancelledCaller) {
  std::promise<void> release;
  std::promise<std::size_t> read;
  auto seen = read.get_future();
  async::run([](std::promise<void>& gate, std::promise<std::size_t>& out) -> asio::awaitable<void> {
    auto reads_late = [](std::string text, std::shared_future<void> go, std::promise<std::size_t>* report) {
      go.wait();
      report->set_value(text.size());
    };
    EXPECT_THROW(co_await async::wait_for(async::run_blocking(reads_late, std::string(1000, 'z'),
                                                              gate.get_future().share(), &out),
                                          20ms),
                 async::timeout_error);
    gate.set_value();  // the caller has moved on; now let the call read its argument
  }(release, read));
  EXPECT_EQ(seen.get(), 1000u);
}

TEST(RunBlocking, PropagatesTheCallsException) {
  async::run([]() -> asio::awaitable<void> {
    EXPECT_THROW(co_await async::run_blocking([]() -> int { throw std::domain_error("bad input"); }),
                 std::domain_error);
  }());
}

asio::awaitable<int> count_ticks(std::chrono::milliseconds period, std::chrono::milliseconds total) {
  int ticks = 0;
  for (auto end = steady_clock::now() + total; steady_clock::now() < end; ++ticks) co_await async::sleep_for(period);
  co_return ticks;
}

TEST(RunBlocking, TheLoopKeepsRunningMeanwhile) {
  async::run([]() -> asio::awaitable<void> {
    auto [ignored, ticks] = co_await async::gather(
        async::run_blocking([] { std::this_thread::sleep_for(200ms); }), count_ticks(10ms, 150ms));
    EXPECT_GE(ticks, 5);  // a stalled loop would tick once
  }());
}

TEST(RunBlocking, PoolBoundsHowManyCallsRunAtOnce) {
  async::blocking_pool pool(2);
  std::atomic<int> running{0}, most{0};
  async::run([](async::blocking_pool& p, std::atomic<int>& now, std::atomic<int>& peak) -> asio::awaitable<void> {
    std::vector<asio::awaitable<void>> calls;
    for (int i = 0; i < 6; ++i) {
      calls.push_back(async::run_blocking(p, [&now, &peak] {
        const int n = ++now;
        for (int seen = peak.load(); n > seen && !peak.compare_exchange_weak(seen, n);) {
        }
        std::this_thread::sleep_for(20ms);
        --now;
      }));
    }
    co_await async::gather(std::move(calls));
  }(pool, running, most));
  EXPECT_EQ(most.load(), 2);
}

TEST(RunBlocking, CancelledCallerResumesAtOnceAndTheResultIsDropped) {
  const auto start = steady_clock::now();
  std::atomic<bool> finished{false};
  async::run([](std::atomic<bool>& done, steady_clock::time_point began) -> asio::awaitable<void> {
    EXPECT_THROW(co_await async::wait_for(async::run_blocking([&done] {
                                            std::this_thread::sleep_for(300ms);
                                            done = true;
                                            return 1;
                                          }),
                                          20ms),
                 async::timeout_error);
    EXPECT_LT(steady_clock::now() - began, 250ms);  // did not wait for the call
    EXPECT_FALSE(done.load());
  }(finished, start));
  // The loop itself stays until the call has come back, so nothing dangles.
  EXPECT_TRUE(finished.load());
}

TEST(RunCoroutineThreadsafe, AnyThreadGetsAFutureOfTheResult) {
  asio::io_context loop;
  auto work = asio::make_work_guard(loop);
  std::thread runner([&] { loop.run(); });
  auto doubled = [](int x) -> asio::awaitable<int> {
    co_await async::sleep_for(1ms);
    co_return 2 * x;
  };
  auto failing = []() -> asio::awaitable<void> {
    co_await async::sleep_for(1ms);
    throw std::domain_error("no");
  };
  auto value = async::run_coroutine_threadsafe(loop.get_executor(), doubled(21));
  auto error = async::run_coroutine_threadsafe(loop.get_executor(), failing());
  EXPECT_EQ(value.get(), 42);
  EXPECT_THROW(error.get(), std::domain_error);
  work.reset();
  runner.join();
}

TEST(ThreadQueue, ThreadsFeedALoopAndTheLoopFeedsAThread) {
  async::thread_queue<int> to_loop(4), to_thread(4);
  static constexpr int count = 1000;
  std::thread producer([&] {
    for (int i = 0; i < count; ++i) to_loop.put_blocking(i);
    to_loop.close();
  });
  long long thread_sum = 0;
  std::thread consumer([&] {
    try {
      for (;;) thread_sum += to_thread.get_blocking();
    } catch (const async::queue_closed&) {
    }
  });
  async::run([](async::thread_queue<int>& in, async::thread_queue<int>& out) -> asio::awaitable<void> {
    int expected = 0;
    try {
      for (;;) {
        const int item = co_await in.get();
        EXPECT_EQ(item, expected++);  // FIFO across the bridge
        co_await out.put(item * 2);
      }
    } catch (const async::queue_closed&) {
    }
    EXPECT_EQ(expected, count);
    out.close();
  }(to_loop, to_thread));
  producer.join();
  consumer.join();
  EXPECT_EQ(thread_sum, 2LL * count * (count - 1) / 2);
}

TEST(ThreadQueue, CancelledLoopWaiterLeavesNothingBehind) {
  async::thread_queue<int> q(1);
  async::run([](async::thread_queue<int>& queue) -> asio::awaitable<void> {
    EXPECT_THROW(co_await async::wait_for(queue.get(), 5ms), async::timeout_error);
    co_await queue.put(1);
    EXPECT_THROW(co_await async::wait_for(queue.put(2), 5ms), async::timeout_error);
  }(q));
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.get_blocking(), 1);
}

}  // namespace
}  // namespace cogi::testing
