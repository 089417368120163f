#pragma once
// asyncio.wait_for: awaits `work`, but no longer than `timeout`. When the time is up the
// work is cancelled (see cancellation.hpp), its cleanup runs to the end, and only then
// timeout_error is thrown: nothing is left running behind the caller's back. The work
// runs as its own coroutine on the caller's executor; its result or exception passes
// through unchanged, whichever comes first (an error is not "waited past", unlike
// Asio's awaitable operator ||).
//
//   auto user = co_await async::wait_for(fetch_user(id), 200ms);

#include <chrono>
#include <optional>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "server/async/cancellation.hpp"
#include "server/async/sleep.hpp"

namespace cogi::async {
namespace detail {

// The work's value in an optional, so that co_spawn (which needs a default value for
// its error path) takes any T.
template <class T>
asio::awaitable<std::optional<T>> wrap_optional(asio::awaitable<T> work) {
  co_return co_await std::move(work);
}

}  // namespace detail

template <class T>
asio::awaitable<T> wait_for(asio::awaitable<T> work, std::chrono::steady_clock::duration timeout) {
  namespace ex = asio::experimental;
  auto executor = co_await asio::this_coro::executor;
  auto work_op = [&] {
    if constexpr (std::is_void_v<T>) {
      return asio::co_spawn(executor, std::move(work), ex::deferred);
    } else {
      return asio::co_spawn(executor, detail::wrap_optional(std::move(work)), ex::deferred);
    }
  }();
  // The first to complete, successfully or not, cancels the other; the group then waits
  // for both. (Kept out of the co_await expression: GCC 12 mishandles non-trivial
  // temporaries there.)
  auto group = ex::make_parallel_group(std::move(work_op), asio::co_spawn(executor, sleep_for(timeout), ex::deferred));
  auto outcome = co_await group.async_wait(ex::wait_for_one(), asio::use_awaitable);
  const bool work_first = std::get<0>(outcome)[0] == 0;
  const std::exception_ptr work_error = std::get<1>(outcome);
  const std::exception_ptr timer_error = std::get<std::tuple_size_v<decltype(outcome)> - 1>(outcome);
  if (work_first || !timer_error) {
    if (!work_first) throw timeout_error();
    if (work_error) std::rethrow_exception(work_error);
    if constexpr (!std::is_void_v<T>) co_return std::move(*std::get<2>(outcome));
  } else {
    std::rethrow_exception(timer_error);  // the caller itself was cancelled
  }
}

template <class T>
asio::awaitable<T> wait_until(asio::awaitable<T> work, std::chrono::steady_clock::time_point deadline) {
  return wait_for(std::move(work), deadline - std::chrono::steady_clock::now());
}

}  // namespace cogi::async
