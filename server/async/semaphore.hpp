#pragma once
// asyncio.Semaphore for one loop, strictly first come first served: a released permit
// goes to the oldest waiter, and a newcomer never overtakes waiters even when a permit
// is free at that instant (asyncio lets it barge; cogi promises FIFO). Loop-local.

#include <cstddef>

#include <asio/awaitable.hpp>

#include "cogi/server/async/detail/wait_queue.hpp"

namespace cogi::async {

class semaphore {
 public:
  explicit semaphore(std::size_t permits) : available_(permits) {}

  // Takes a permit, waiting in line for one. Cancellable: a cancelled waiter leaves the
  // line without a permit.
  asio::awaitable<void> acquire();
  // Takes a permit only if one is free and nobody waits.
  bool try_acquire();
  // Returns a permit: to the oldest waiter if any, else to the pool.
  void release();

  std::size_t available() const { return available_; }
  std::size_t waiting() const { return waiters_.size(); }

 private:
  std::size_t available_;
  detail::wait_queue waiters_;
};

}  // namespace cogi::async
