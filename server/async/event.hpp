#pragma once
// asyncio.Event for one loop: wait() suspends until set(); set() wakes every waiter and
// lets later waits pass until clear(). Loop-local: use it from its loop's thread only.

#include <asio/awaitable.hpp>

#include "cogi/server/async/detail/wait_queue.hpp"

namespace cogi::async {

class event {
 public:
  bool is_set() const { return set_; }
  // Wakes every waiter (in the order they came).
  void set();
  void clear() { set_ = false; }
  // Returns at once when set. Cancellable (see cancellation.hpp).
  asio::awaitable<void> wait();

 private:
  bool set_ = false;
  detail::wait_queue waiters_;
};

}  // namespace cogi::async
