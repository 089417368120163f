#pragma once
// The threads that run blocking or CPU-bound calls for the loops (asyncio's default
// executor). Bounded: a fixed number of threads, calls beyond that queue up. One
// process-wide pool serves run_blocking() unless another is given; the server sizes it
// from --blocking-threads before it starts.

#include <cstddef>

#include <asio/thread_pool.hpp>

namespace cogi::async {

class blocking_pool {
 public:
  explicit blocking_pool(std::size_t threads);
  ~blocking_pool();  // waits for the calls already queued
  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  asio::thread_pool::executor_type executor() { return pool_.get_executor(); }
  std::size_t size() const { return size_; }

  // The process-wide pool, created on first use with default_size() threads.
  static blocking_pool& shared();
  // Python's ThreadPoolExecutor default: min(32, cores + 4).
  static std::size_t default_size();
  // Sets the size shared() will have; only before its first use (false after).
  static bool configure_shared(std::size_t threads);

 private:
  std::size_t size_;
  asio::thread_pool pool_;
};

}  // namespace cogi::async
