// Google Benchmark figures for the async toolkit's primitives, each measured inside a
// coroutine on one loop (as handlers use them): spawn + await, queue put + get,
// semaphore acquire + release (free and contended), lock, and a run_blocking round
// trip through the thread pool.
//
//   build/bench/micro/async_bench [--benchmark_repetitions=5 ...]

#include <benchmark/benchmark.h>

#include <asio/this_coro.hpp>

#include "cogi/server/async/lock.hpp"
#include "cogi/server/async/queue.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/run_blocking.hpp"
#include "cogi/server/async/semaphore.hpp"
#include "cogi/server/async/task.hpp"

namespace async = cogi::async;

namespace {

asio::awaitable<int> answer() { co_return 42; }

void SpawnAndAwait(benchmark::State& state) {
  async::run([](benchmark::State& s) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    for (auto _ : s) {
      auto t = async::spawn(ex, answer());
      benchmark::DoNotOptimize(co_await t.result());
    }
  }(state));
}
BENCHMARK(SpawnAndAwait);

void QueuePutGet(benchmark::State& state) {
  async::run([](benchmark::State& s) -> asio::awaitable<void> {
    async::queue<int> q(64);
    for (auto _ : s) {
      co_await q.put(1);
      benchmark::DoNotOptimize(co_await q.get());
    }
  }(state));
}
BENCHMARK(QueuePutGet);

asio::awaitable<void> produce(async::queue<int>& q, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) co_await q.put(static_cast<int>(i));
}

// A producer task and this consumer, through a queue of one: every item is a hand-over
// between two suspended coroutines.
void QueueHandOver(benchmark::State& state) {
  async::run([](benchmark::State& s) -> asio::awaitable<void> {
    async::queue<int> q(1);
    auto producer = async::spawn(co_await asio::this_coro::executor, produce(q, s.max_iterations));
    for (auto _ : s) benchmark::DoNotOptimize(co_await q.get());
    co_await producer.result();
  }(state));
}
BENCHMARK(QueueHandOver);

void SemaphoreAcquireRelease(benchmark::State& state) {
  async::run([](benchmark::State& s) -> asio::awaitable<void> {
    async::semaphore sem(1);
    for (auto _ : s) {
      co_await sem.acquire();
      sem.release();
    }
  }(state));
}
BENCHMARK(SemaphoreAcquireRelease);

asio::awaitable<void> contend(async::lock& mutex, std::int64_t rounds) {
  for (std::int64_t i = 0; i < rounds; ++i) {
    auto held = co_await mutex.acquire();
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);  // hold across a yield
  }
}

// Two coroutines taking turns on a lock they hold across a yield: each acquire waits
// and is handed the lock.
void LockContended(benchmark::State& state) {
  async::run([](benchmark::State& s) -> asio::awaitable<void> {
    async::lock mutex;
    auto other = async::spawn(co_await asio::this_coro::executor, contend(mutex, s.max_iterations));
    for (auto _ : s) {
      auto held = co_await mutex.acquire();
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
    co_await other.result();
  }(state));
}
BENCHMARK(LockContended);

void RunBlockingRoundTrip(benchmark::State& state) {
  async::blocking_pool pool(1);
  async::run([](benchmark::State& s, async::blocking_pool& p) -> asio::awaitable<void> {
    for (auto _ : s) benchmark::DoNotOptimize(co_await async::run_blocking(p, [] { return 1; }));
  }(state, pool));
}
BENCHMARK(RunBlockingRoundTrip);

}  // namespace

BENCHMARK_MAIN();
