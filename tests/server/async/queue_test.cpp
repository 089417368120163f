// async::queue: FIFO order, the bound, fairness between waiting consumers and newcomers,
// task_done()/join(), close(), and cancelled puts and gets that change nothing.

#include "cogi/server/async/queue.hpp"

#include <gtest/gtest.h>

#include <chrono>
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

TEST(Queue, ItemsComeOutInTheOrderTheyWentIn) {
  async::run([]() -> asio::awaitable<void> {
    async::queue<std::string> q;
    for (const char* s : {"a", "b", "c"}) co_await q.put(s);
    EXPECT_EQ(q.size(), 3u);
    EXPECT_EQ(co_await q.get(), "a");
    EXPECT_EQ(co_await q.get(), "b");
    EXPECT_EQ(*q.try_get(), "c");
    EXPECT_FALSE(q.try_get().has_value());
  }());
}

asio::awaitable<void> produce(async::queue<int>& q, std::vector<std::string>& log, int n) {
  for (int i = 0; i < n; ++i) {
    co_await q.put(i);
    log.push_back("put " + std::to_string(i));
  }
}

TEST(Queue, PutWaitsWhileFull) {
  std::vector<std::string> log;
  async::run([](std::vector<std::string>& entries) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::queue<int> q(2);
    auto producer = async::spawn(ex, produce(q, entries, 4));
    co_await async::sleep_for(5ms);
    EXPECT_EQ(entries.size(), 2u);  // blocked on the third put
    EXPECT_TRUE(q.full());
    EXPECT_EQ(co_await q.get(), 0);
    entries.push_back("got 0");
    co_await async::sleep_for(5ms);
    EXPECT_EQ(entries.back(), "put 2");
    for (int expected = 1; expected < 4; ++expected) EXPECT_EQ(co_await q.get(), expected);
    co_await producer.result();
  }(log));
  EXPECT_EQ(log, (std::vector<std::string>{"put 0", "put 1", "got 0", "put 2", "put 3"}));
}

asio::awaitable<void> consume_one(async::queue<int>& q, std::vector<std::string>& log, std::string name) {
  const int item = co_await q.get();
  log.push_back(name + " " + std::to_string(item));
}

TEST(Queue, WaitingConsumersAreServedFirstComeFirstServed) {
  std::vector<std::string> log;
  async::run([](std::vector<std::string>& entries) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::queue<int> q;
    auto first = async::spawn(ex, consume_one(q, entries, "first"));
    auto second = async::spawn(ex, consume_one(q, entries, "second"));
    co_await async::sleep_for(2ms);
    co_await q.put(1);
    EXPECT_FALSE(q.try_get().has_value());  // reserved for "first", which has not resumed yet
    co_await q.put(2);
    co_await first.result();
    co_await second.result();
  }(log));
  EXPECT_EQ(log, (std::vector<std::string>{"first 1", "second 2"}));
}

asio::awaitable<void> work_through(async::queue<int>& q, int& processed) {
  for (;;) {
    (void)co_await q.get();
    co_await async::sleep_for(1ms);
    ++processed;
    q.task_done();
  }
}

TEST(Queue, JoinReturnsWhenEveryItemIsDone) {
  int processed = 0;
  async::run([](int& done_count) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::queue<int> q;
    auto a = async::spawn(ex, work_through(q, done_count));
    auto b = async::spawn(ex, work_through(q, done_count));
    for (int i = 0; i < 10; ++i) co_await q.put(i);
    co_await q.join();
    EXPECT_EQ(done_count, 10);
    a.cancel();
    b.cancel();
    EXPECT_THROW(co_await a.result(), async::task_cancelled);
    EXPECT_THROW(co_await b.result(), async::task_cancelled);
  }(processed));
  EXPECT_THROW(async::queue<int>().task_done(), std::logic_error);
}

TEST(Queue, CloseFailsProducersAndDrainsThenFailsConsumers) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    async::queue<int> full(1);
    co_await full.put(1);
    auto blocked_put = async::spawn(ex, full.put(2));
    async::queue<int> empty;
    auto blocked_get = async::spawn(ex, empty.get());
    co_await async::sleep_for(1ms);
    full.close();
    empty.close();
    EXPECT_THROW(co_await blocked_put.result(), async::queue_closed);
    EXPECT_THROW(co_await blocked_get.result(), async::queue_closed);
    EXPECT_THROW(co_await full.put(3), async::queue_closed);
    EXPECT_EQ(co_await full.get(), 1);  // what was in stays available
    EXPECT_THROW(co_await full.get(), async::queue_closed);
  }());
}

TEST(Queue, CancelledGetTakesNothingAndCancelledPutAddsNothing) {
  async::run([]() -> asio::awaitable<void> {
    async::queue<int> q(1);
    EXPECT_THROW(co_await async::wait_for(q.get(), 5ms), async::timeout_error);
    co_await q.put(1);
    EXPECT_THROW(co_await async::wait_for(q.put(2), 5ms), async::timeout_error);
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(co_await q.get(), 1);
    co_await q.put(3);  // the cancelled waiters left no reservation behind
    EXPECT_EQ(co_await q.get(), 3);
  }());
}

}  // namespace
}  // namespace cogi::testing
