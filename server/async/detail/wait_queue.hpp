#pragma once
// The one suspension mechanism under the primitives (event, semaphore, lock, queue,
// task, thread_queue): coroutines wait in arrival order and are woken by the
// primitive's owner.
//
// Each wait is an Asio asynchronous operation, so per-operation cancellation ends it:
// the waiter leaves the queue at once and resumes with operation_aborted. A woken
// waiter resumes through its own executor (a post, like asyncio's call_soon), never
// inside the waker's call stack, and whichever of wake-up and cancellation reaches it
// first decides how it resumes; that decision is made on the waiter's own loop.
//
// Loop-local by default: every call on the loop's thread, no lock. Given a mutex, the
// queue may be woken from any thread: the owner then holds that mutex around every
// call (and async_wait_if() takes it itself), and cancellation takes it too.

#include <cstddef>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/associated_allocator.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/error.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/recycling_allocator.hpp>

namespace cogi::async::detail {

class wait_queue {
 public:
  explicit wait_queue(std::mutex* guard = nullptr) : guard_(guard) {}
  wait_queue(const wait_queue&) = delete;
  wait_queue& operator=(const wait_queue&) = delete;
  // Waiters still queued are woken with operation_aborted.
  ~wait_queue() { wake_all(asio::error::operation_aborted); }

  // Suspends until woken; completes with the waker's error_code (success for a plain
  // wake), or operation_aborted when the wait is cancelled. Signature void(error_code).
  template <class CompletionToken>
  auto async_wait(CompletionToken&& token) {
    return async_wait_if([] { return true; }, std::forward<CompletionToken>(token));
  }

  // As async_wait(), but first checks `still_needed()` (under the guard mutex, if any):
  // when it is false the wait completes at once with success. This closes the gap
  // between a caller's check and its wait, when other threads may change the state.
  template <class Predicate, class CompletionToken>
  auto async_wait_if(Predicate still_needed, CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(std::error_code)>(
        [this](auto handler, Predicate needed) { this->enqueue(std::move(handler), std::move(needed)); }, token,
        std::move(still_needed));
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
    bool queued = false;
    // On the waiter's loop: resumes the coroutine with `ec` and frees the waiter.
    // `cancelling`: called from the waiter's own cancellation handler, which must stay
    // in place (and must not resume the coroutine inside the canceller's stack).
    virtual void finish(std::error_code ec, bool cancelling) = 0;
    // Posts finish(ec) to the waiter's loop; from any thread.
    virtual void post_finish(std::error_code ec) = 0;
   protected:
    ~waiter() = default;
  };

  // Installed in the waiting operation's cancellation slot; inert once used.
  struct cancel_handler {
    wait_queue* queue;   // touched only while `w` is still queued in it
    std::mutex* guard;   // the queue's guard, copied: the queue may be gone already
    waiter* w;
    void operator()(asio::cancellation_type);
  };

  template <class Handler>
  struct waiter_for;

  template <class Handler, class Predicate>
  void enqueue(Handler handler, Predicate still_needed);
  void link(waiter* w);
  void unlink(waiter* w);

  std::mutex* guard_;
  waiter* head_ = nullptr;
  waiter* tail_ = nullptr;
  std::size_t size_ = 0;
};

// A waiter holding the coroutine's completion handler. Allocated with the handler's
// allocator (Asio's recycling allocator for coroutines: no malloc in steady state).
template <class Handler>
struct wait_queue::waiter_for final : waiter {
  using executor_type = asio::associated_executor_t<Handler, asio::any_io_executor>;
  using allocator_type = typename std::allocator_traits<
      asio::associated_allocator_t<Handler, asio::recycling_allocator<void>>>::template rebind_alloc<waiter_for>;

  explicit waiter_for(Handler&& h) : handler(std::move(h)), work(asio::get_associated_executor(handler)) {}

  // Frees a waiter; owning one in a posted function means a loop destroyed with the
  // function still queued frees it (and the coroutine it holds) too.
  struct deleter {
    void operator()(waiter_for* w) const {
      allocator_type alloc(asio::get_associated_allocator(w->handler, asio::recycling_allocator<void>()));
      std::allocator_traits<allocator_type>::destroy(alloc, w);
      std::allocator_traits<allocator_type>::deallocate(alloc, w, 1);
    }
  };
  using owner = std::unique_ptr<waiter_for, deleter>;

  void finish(std::error_code ec, bool cancelling) override {
    owner self(this);
    if (!cancelling) {
      auto slot = asio::get_associated_cancellation_slot(handler);
      if (slot.is_connected()) slot.clear();
    }
    auto h = std::move(handler);
    auto ex = work.get_executor();
    self.reset();
    if (cancelling) {
      asio::post(ex, [h = std::move(h), ec]() mutable { std::move(h)(ec); });
    } else {
      std::move(h)(ec);  // already in a function posted to this waiter's loop
    }
  }

  void post_finish(std::error_code ec) override {
    asio::post(work.get_executor(), [self = owner(this), ec]() mutable { self.release()->finish(ec, false); });
  }

  Handler handler;
  // Keeps the loop running while we wait; its executor, the waiter's loop, is read from
  // waking threads: set at construction, it never changes.
  const asio::executor_work_guard<executor_type> work;
};

template <class Handler, class Predicate>
void wait_queue::enqueue(Handler handler, Predicate still_needed) {
  using node = waiter_for<Handler>;
  std::unique_lock<std::mutex> lock;
  if (guard_ != nullptr) lock = std::unique_lock(*guard_);
  if (!still_needed()) {
    auto ex = asio::get_associated_executor(handler);
    asio::post(ex, [h = std::move(handler)]() mutable { std::move(h)(std::error_code()); });
    return;
  }
  typename node::allocator_type alloc(asio::get_associated_allocator(handler, asio::recycling_allocator<void>()));
  node* w = std::allocator_traits<typename node::allocator_type>::allocate(alloc, 1);
  std::allocator_traits<typename node::allocator_type>::construct(alloc, w, std::move(handler));
  link(w);
  // Cancellation removes the waiter and resumes it with operation_aborted. Every
  // cancellation type ends a wait: nothing has happened yet that could be undone.
  auto slot = asio::get_associated_cancellation_slot(w->handler);
  if (slot.is_connected()) slot.template emplace<cancel_handler>(this, guard_, w);
}

}  // namespace cogi::async::detail
