#pragma once
// The threads that run blocking or CPU-bound calls for the loops (asyncio's default
// executor). Bounded: a fixed number of threads, calls beyond that queue up. One
// process-wide pool serves run_blocking() unless another is given; the server sizes it
// from --blocking-threads before it starts.

#include <atomic>
#include <cstddef>
#include <utility>

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

namespace cogi::async {

class blocking_pool {
 public:
  explicit blocking_pool(std::size_t threads);
  ~blocking_pool();  // waits for the calls already queued
  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  // Runs fn() on one of the pool's threads, counted in queued() until it starts and in
  // running() until it returns.
  template <class F>
  void post(F&& fn) {
    queued_.fetch_add(1, std::memory_order_relaxed);
    asio::post(pool_.get_executor(), [this, fn = std::forward<F>(fn)]() mutable {
      queued_.fetch_sub(1, std::memory_order_relaxed);
      running_.fetch_add(1, std::memory_order_relaxed);
      struct finish {
        std::atomic<std::size_t>& running;
        ~finish() { running.fetch_sub(1, std::memory_order_relaxed); }
      } finished{running_};
      fn();
    });
  }

  std::size_t size() const { return size_; }
  // Calls waiting for a thread, and calls running, now (the server's metrics).
  std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  std::size_t running() const { return running_.load(std::memory_order_relaxed); }

  // The process-wide pool, created on first use with default_size() threads.
  static blocking_pool& shared();
  // Python's ThreadPoolExecutor default: min(32, cores + 4).
  static std::size_t default_size();
  // Sets the size shared() will have; only before its first use (false after).
  static bool configure_shared(std::size_t threads);
  // The shared pool if something has used it, else null (metrics must not create it).
  static const blocking_pool* shared_if_started();

 private:
  std::size_t size_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::size_t> running_{0};
  asio::thread_pool pool_;  // last: joined (its calls finished) before the counts go
};

}  // namespace cogi::async
