#pragma once
// A one-shot event for coroutines on one loop: wait() completes once set() has been
// called (before or during the wait). Loop-local: no lock.

#include "server/runtime/as_result.hpp"
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace cogi::runtime {

class loop_event {
 public:
  explicit loop_event(const asio::any_io_executor& executor)
      : timer_(executor, asio::steady_timer::time_point::max()) {}

  void set() {
    set_ = true;
    timer_.cancel();
  }
  bool is_set() const { return set_; }

  asio::awaitable<void> wait() {
    while (!set_) co_await timer_.async_wait(as_result);
  }

 private:
  asio::steady_timer timer_;
  bool set_ = false;
};

}  // namespace cogi::runtime
