#pragma once
// The one suspension mechanism under the loop-local primitives (event, semaphore, lock,
// queue, task): coroutines wait in arrival order and are woken by the primitive's owner.
//
// Each wait is an Asio asynchronous operation, so per-operation cancellation ends it:
// the waiter leaves the queue at once and resumes with operation_aborted. A woken
// waiter resumes through its own executor (a post, like asyncio's call_soon), never
// inside the waker's call stack. Loop-local: every call on the loop's thread, no lock.

#include <cstddef>
#include <memory>
#include <system_error>
#include <utility>

#include <asio/associated_allocator.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/recycling_allocator.hpp>
#include <asio/use_awaitable.hpp>

namespace cogi::async::detail {

class wait_queue {
 public:
  wait_queue() = default;
  wait_queue(const wait_queue&) = delete;
  wait_queue& operator=(const wait_queue&) = delete;
  // Waiters still queued are woken with operation_aborted.
  ~wait_queue() { wake_all(asio::error::operation_aborted); }

  // Suspends until woken; completes with the waker's error_code (success for a plain
  // wake), or operation_aborted when the wait is cancelled. Signature void(error_code).
  template <class CompletionToken>
  auto async_wait(CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(std::error_code)>(
        [this](auto handler) { enqueue(std::move(handler)); }, token);
  }

  // Resumes the oldest waiter with `ec`; false when nobody waits.
  bool wake_one(std::error_code ec = {});
  // Resumes every waiter with `ec`; returns how many there were.
  std::size_t wake_all(std::error_code ec = {});

  bool empty() const { return head_ == nullptr; }
  std::size_t size() const { return size_; }

 private:
  struct waiter {
    waiter* prev = nullptr;
    waiter* next = nullptr;
    // Resumes the coroutine (through its executor) and frees the waiter. `cancelling`:
    // called from the waiter's own cancellation handler, which must stay in place.
    virtual void complete(std::error_code ec, bool cancelling) = 0;
   protected:
    ~waiter() = default;
  };

  // Installed in the waiting operation's cancellation slot. It forgets its waiter once
  // used, so a second cancellation of the same slot (before the coroutine resumes and
  // reuses the slot) finds nothing to do.
  struct cancel_handler {
    waiter* w;
    void operator()(asio::cancellation_type) {
      if (waiter* target = std::exchange(w, nullptr)) target->complete(asio::error::operation_aborted, true);
    }
  };

  template <class Handler>
  struct waiter_for;

  template <class Handler>
  void enqueue(Handler handler);
  void link(waiter* w);
  void unlink(waiter* w);

  waiter* head_ = nullptr;
  waiter* tail_ = nullptr;
  std::size_t size_ = 0;
};

// A waiter holding the coroutine's completion handler. Allocated with the handler's
// allocator (Asio's recycling allocator for coroutines: no malloc in steady state).
template <class Handler>
struct wait_queue::waiter_for final : waiter {
  using executor_type = asio::associated_executor_t<Handler, asio::any_io_executor>;

  waiter_for(wait_queue& queue, Handler&& h)
      : owner(&queue), handler(std::move(h)), work(asio::get_associated_executor(handler)) {}

  void complete(std::error_code ec, bool cancelling) override {
    owner->unlink(this);
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (!cancelling && slot.is_connected()) slot.clear();
    auto executor = work.get_executor();
    auto h = std::move(handler);
    free();
    asio::post(executor, [h = std::move(h), ec]() mutable { std::move(h)(ec); });
  }

  void free() {
    using allocator = typename std::allocator_traits<
        asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>>::template rebind_alloc<waiter_for>;
    allocator alloc(asio::get_associated_allocator(handler, asio::recycling_allocator<void>()));
    std::allocator_traits<allocator>::destroy(alloc, this);
    std::allocator_traits<allocator>::deallocate(alloc, this, 1);
  }

  wait_queue* owner;
  Handler handler;
  asio::executor_work_guard<executor_type> work;  // keeps the loop running while we wait
};

template <class Handler>
void wait_queue::enqueue(Handler handler) {
  using node = waiter_for<Handler>;
  using allocator = typename std::allocator_traits<
      asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>>::template rebind_alloc<node>;
  allocator alloc(asio::get_associated_allocator(handler, asio::recycling_allocator<void>()));
  node* w = std::allocator_traits<allocator>::allocate(alloc, 1);
  std::allocator_traits<allocator>::construct(alloc, w, *this, std::move(handler));
  link(w);
  // Cancellation removes the waiter and resumes it with operation_aborted. Every
  // cancellation type ends a wait: nothing has happened yet that could be undone.
  auto slot = asio::get_associated_cancellation_slot(w->handler);
  if (slot.is_connected()) slot.template emplace<cancel_handler>(w);
}

}  // namespace cogi::async::detail
