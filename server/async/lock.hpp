#pragma once
// asyncio.Lock for one loop, FIFO like semaphore: hold it through the guard that
// acquire() returns, so an exception or a cancellation cannot leave it locked.
//
//   auto held = co_await mutex.acquire();
//   ...                                   // exclusive on this loop
//   // released when `held` goes out of scope (or held.unlock())

#include <utility>

#include <asio/awaitable.hpp>

#include "cogi/server/async/semaphore.hpp"

namespace cogi::async {

class lock {
 public:
  class guard {
   public:
    guard(guard&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    guard& operator=(guard&&) = delete;
    ~guard() { unlock(); }
    void unlock() {
      if (owner_ != nullptr) std::exchange(owner_, nullptr)->permit_.release();
    }

   private:
    friend class lock;
    explicit guard(lock& owner) : owner_(&owner) {}
    lock* owner_;
  };

  // Waits in line for the lock. Cancellable: a cancelled waiter does not get it.
  asio::awaitable<guard> acquire();
  bool locked() const { return permit_.available() == 0; }

 private:
  semaphore permit_{1};
};

}  // namespace cogi::async
