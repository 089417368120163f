#pragma once
// asyncio.create_task for cogi: spawn() starts a coroutine on a loop and returns a
// handle to await its result, cancel it, or ask whether it is done.
//
//   auto fetch = async::spawn(co_await asio::this_coro::executor, fetch_user(id));
//   ...                                  // runs concurrently from here
//   const user u = co_await fetch.result();
//
// A task runs to its end even if every handle is dropped (like a detached thread, but
// on the loop); prefer task_group when the caller must not outlive its children.
// Handles are loop-local: cancel() and result() belong on the task's own loop (from
// another thread, use run_coroutine_threadsafe()).

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/detail/wait_queue.hpp"

namespace cogi::async {
namespace detail {

struct group_core;

// What every task shares with its handles, whatever its result type.
struct task_core {
  asio::cancellation_signal cancel_signal;
  bool cancel_requested = false;
  bool done = false;
  std::exception_ptr error;            // the task's exception, if it ended with one
  wait_queue waiters;                  // coroutines in result()
  std::shared_ptr<group_core> group;   // the task_group it belongs to, if any

  void cancel();
  // Records the outcome, wakes result() waiters and tells the group.
  void finish(std::exception_ptr failure);
  // Whether it ended because of its cancellation (not merely after a cancel() it ignored).
  bool cancelled() const { return cancel_requested && error && is_cancellation(error); }
};

template <class T>
struct task_state : task_core {
  std::optional<T> value;
};

template <>
struct task_state<void> : task_core {};

template <class T>
asio::awaitable<void> run_task(std::shared_ptr<task_state<T>> state, asio::awaitable<T> body) {
  std::exception_ptr failure;
  try {
    // cancel() before the first step: the body never runs (asyncio does the same).
    if (state->cancel_requested) throw task_cancelled();
    if constexpr (std::is_void_v<T>) {
      co_await std::move(body);
    } else {
      state->value.emplace(co_await std::move(body));
    }
  } catch (...) {
    failure = std::current_exception();
  }
  state->finish(std::move(failure));
}

}  // namespace detail

template <class T>
class task;

namespace detail {
template <class T, class Executor>
task<T> start_task(const Executor& executor, asio::awaitable<T> body, std::shared_ptr<group_core> group);
}  // namespace detail

template <class T>
class task {
 public:
  // Ends the task's current wait with cancellation (see cancellation.hpp); no effect once
  // it is done. Returns at once: co_await result() to wait for it to wind down.
  void cancel() { state_->cancel(); }

  bool done() const { return state_->done; }
  // Done because cancel() stopped it.
  bool cancelled() const { return state_->done && state_->cancelled(); }

  // Waits for the task to end; returns its value, rethrows its exception, or throws
  // task_cancelled if it was cancelled. Any number of coroutines may wait; each gets a
  // copy of the value. Cancelling a waiter ends its wait, not the task.
  asio::awaitable<T> result() const {
    auto state = state_;  // the handle may go away while we wait
    if (!state->done) co_await state->waiters.async_wait(asio::use_awaitable);
    if (state->cancelled()) throw task_cancelled();
    if (state->error) std::rethrow_exception(state->error);
    if constexpr (!std::is_void_v<T>) co_return *state->value;
  }

  // The outcome of a task known to be done, without waiting (gather() uses it): the
  // value moved out, or the task's exception rethrown.
  T take() {
    if (state_->cancelled()) throw task_cancelled();
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>) return std::move(*state_->value);
  }

 private:
  template <class U, class Executor>
  friend task<U> detail::start_task(const Executor&, asio::awaitable<U>, std::shared_ptr<detail::group_core>);
  friend class task_group;

  explicit task(std::shared_ptr<detail::task_state<T>> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::task_state<T>> state_;
};

namespace detail {

template <class T, class Executor>
task<T> start_task(const Executor& executor, asio::awaitable<T> body, std::shared_ptr<group_core> group) {
  auto state = std::make_shared<task_state<T>>();
  state->group = std::move(group);
  // Posted, not started here: co_spawn would run the first step inline when called on
  // the task's own loop, and the spawner must go on first (as with asyncio's
  // create_task). A cancel() before the start is seen by run_task().
  asio::post(executor, [state, body = std::move(body), executor]() mutable {
    asio::co_spawn(executor, run_task<T>(state, std::move(body)),
                   asio::bind_cancellation_slot(state->cancel_signal.slot(), asio::detached));
  });
  return task<T>(std::move(state));
}

}  // namespace detail

// Starts `body` on `executor` (its first step runs once the caller suspends or returns,
// not inside this call) and returns its handle.
template <class T, class Executor>
task<T> spawn(const Executor& executor, asio::awaitable<T> body) {
  return detail::start_task<T>(executor, std::move(body), nullptr);
}

}  // namespace cogi::async
