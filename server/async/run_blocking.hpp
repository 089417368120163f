#pragma once
// asyncio's to_thread / run_in_executor: runs fn(args...) on a blocking_pool thread and
// resumes the calling coroutine on its own loop with the result (or the call's
// exception). The loop keeps serving everyone else meanwhile.
//
//   const std::string text = co_await async::run_blocking(read_file, path);
//   const std::size_t size = co_await async::run_blocking([](const std::string& t) { return t.size(); }, text);
//
// The function and its arguments are moved into the call (decay-copied, as std::thread
// takes them) before anything is awaited, so they live as long as the call, whatever
// becomes of the caller. A call that has started cannot be interrupted: if the awaiting
// coroutine is cancelled (a wait_for deadline, say), it resumes at once with the
// cancellation and the call's eventual result is dropped.
//
// Give values as arguments, not as lambda captures: GCC 12 destroys a lambda with
// non-trivial captures twice when it is written inside a co_await expression, and
// likewise a braced aggregate (docs/compilers.md). On GCC 12 such a call does not
// compile; a named callable, a capture-less lambda or a function is fine everywhere.

#include <concepts>
#include <exception>
#include <functional>
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

#include "cogi/server/async/blocking_pool.hpp"
#include "cogi/server/async/detail/wait_queue.hpp"

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

template <class R, class Call>
asio::awaitable<R> run_on_pool(blocking_pool& pool, Call call) {
  auto state = std::make_shared<blocking_call<R>>();
  // Held by the pool thread until the call has come back, even if we stop waiting: the
  // loop must still be there when the call reports.
  const auto loop = co_await asio::this_coro::executor;
  auto keep_loop = asio::make_work_guard(loop);
  pool.post([state, fn = std::move(call), keep_loop = std::move(keep_loop)]() mutable {
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

// GCC before 13 destroys twice a temporary that is aggregate-initialised (a lambda with
// captures, a braced struct) inside a co_await expression. A callable or argument that
// is such a temporary, and not trivially destructible, is refused there at compile time.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
inline constexpr bool compiler_destroys_awaited_temporaries_twice = true;
#else
inline constexpr bool compiler_destroys_awaited_temporaries_twice = false;
#endif

template <class T>
inline constexpr bool destroyed_twice_if_temporary =
    compiler_destroys_awaited_temporaries_twice && !std::is_lvalue_reference_v<T> &&
    !std::is_trivially_destructible_v<std::remove_cvref_t<T>>;

}  // namespace detail

template <class F, class... Args>
  requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
asio::awaitable<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> run_blocking(blocking_pool& pool, F&& fn,
                                                                                          Args&&... args) {
  static_assert(!detail::destroyed_twice_if_temporary<F>,
                "GCC 12 destroys a lambda with captures written inside co_await twice (docs/compilers.md): "
                "pass the values as arguments, run_blocking(fn, args...), or name the callable first");
  static_assert(((!detail::destroyed_twice_if_temporary<Args> || !std::is_aggregate_v<std::remove_cvref_t<Args>>) && ...),
                "GCC 12 destroys a braced aggregate written inside co_await twice (docs/compilers.md): "
                "name the argument first");
  using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
  // Everything is moved into the call here, in a plain function, before any coroutine
  // frame or co_await is involved.
  auto call = [fn = std::forward<F>(fn), ... bound = std::forward<Args>(args)]() mutable -> R {
    return std::invoke(std::move(fn), std::move(bound)...);
  };
  return detail::run_on_pool<R>(pool, std::move(call));
}

// On the process-wide blocking_pool::shared().
template <class F, class... Args>
  requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
asio::awaitable<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> run_blocking(F&& fn, Args&&... args) {
  return run_blocking(blocking_pool::shared(), std::forward<F>(fn), std::forward<Args>(args)...);
}

}  // namespace cogi::async
