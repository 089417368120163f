#pragma once
// asyncio's run_in_executor / to_thread: runs a blocking or CPU-bound call on a
// blocking_pool thread and resumes the calling coroutine on its own loop with the
// result (or the call's exception). The loop keeps serving everyone else meanwhile.
//
//   const std::string text = co_await async::run_blocking([path] { return read_file(path); });
//
// A call that has started cannot be interrupted. If the awaiting coroutine is cancelled
// (a wait_for deadline, say), it resumes at once with the cancellation and the call's
// eventual result is dropped; the call itself runs to its end on its thread, so it must
// not refer to the coroutine's locals: capture by value.

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "server/async/blocking_pool.hpp"
#include "server/async/detail/wait_queue.hpp"

namespace cogi::async {
namespace detail {

// One call in flight, shared by the caller and the pool thread. The caller waits in a
// wait_queue guarded by `mutex`, so a wake-up from the pool thread and a cancellation
// of the caller are decided the same way as for every other wait.
template <class R>
struct blocking_call {
  std::mutex mutex;
  wait_queue caller{&mutex};
  bool finished = false;  // under mutex
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
  std::exception_ptr error;
};

}  // namespace detail

template <class F>
asio::awaitable<std::invoke_result_t<F>> run_blocking(blocking_pool& pool, F call) {
  using R = std::invoke_result_t<F>;
  auto state = std::make_shared<detail::blocking_call<R>>();
  // Held by the pool thread until the call has come back, even if we stop waiting: the
  // loop must still be there when the call reports.
  const auto loop = co_await asio::this_coro::executor;
  auto keep_loop = asio::make_work_guard(loop);
  asio::post(pool.executor(), [state, fn = std::move(call), keep_loop = std::move(keep_loop)]() mutable {
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
      } else {
        state->value.emplace(fn());
      }
    } catch (...) {
      state->error = std::current_exception();
    }
    std::lock_guard lock(state->mutex);
    state->finished = true;
    state->caller.wake_one();  // posts to the caller's loop; keep_loop is released after
  });
  auto [ec] = co_await state->caller.async_wait_if([&s = *state] { return !s.finished; },
                                                   asio::experimental::as_tuple(asio::use_awaitable));
  if (ec) throw std::system_error(ec);  // cancelled: the call's result will be dropped
  // `finished` was seen under the mutex, or the wake-up came through the loop's queue:
  // either way the call's writes are visible here.
  if (state->error) std::rethrow_exception(state->error);
  if constexpr (!std::is_void_v<R>) co_return std::move(*state->value);
}

// On the process-wide blocking_pool::shared().
template <class F>
asio::awaitable<std::invoke_result_t<F>> run_blocking(F call) {
  return run_blocking(blocking_pool::shared(), std::move(call));
}

}  // namespace cogi::async
