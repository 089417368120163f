#pragma once
// Runs a piece of work with a companion beside it, each in a coroutine of its own on
// the caller's executor: whichever ends first (returning or throwing) cancels the other,
// and both have ended, their cleanup run, before the call returns. The outcome is the
// work's: its value, or its exception (the cancellation, if the companion ended first);
// the companion's is dropped. What asyncio spells with asyncio.wait(FIRST_COMPLETED)
// and a cancel() of the rest.
//
//   auto body = co_await async::with_companion(fetch("/big"), report_progress());  // until the fetch ends
//   co_await async::with_companion(stream_events(), shutdown.wait());             // or the shutdown comes
//
// cogi's own: a Server-Sent Events stream runs with its keep-alive pinger, a streaming
// response with a watch that ends when the client leaves (framework/response.cpp).
//
// wait_for() is the same with a timer for companion (wait_for.hpp).

#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace cogi::async {
namespace detail {

// The work's value in an optional, so that co_spawn (which needs a default value for
// its error path) takes any T.
template <class T>
asio::awaitable<std::optional<T>> wrap_optional(asio::awaitable<T> work) {
  co_return co_await std::move(work);
}

// How a race between a work and its companion ended.
template <class T>
struct race_outcome {
  bool work_first = true;
  std::exception_ptr work_error;       // the work's exception, if it threw (or was cancelled)
  std::exception_ptr companion_error;  // the companion's
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> value{};
};

template <class T>
asio::awaitable<race_outcome<T>> race(asio::awaitable<T> work, asio::awaitable<void> companion) {
  namespace ex = asio::experimental;
  auto executor = co_await asio::this_coro::executor;
  auto work_op = [&] {
    if constexpr (std::is_void_v<T>) {
      return asio::co_spawn(executor, std::move(work), ex::deferred);
    } else {
      return asio::co_spawn(executor, wrap_optional(std::move(work)), ex::deferred);
    }
  }();
  // The first to complete, successfully or not, cancels the other; the group then waits
  // for both. (Kept out of the co_await expression: GCC 12 mishandles non-trivial
  // temporaries there, docs/compilers.md.)
  auto group = ex::make_parallel_group(std::move(work_op), asio::co_spawn(executor, std::move(companion), ex::deferred));
  auto outcome = co_await group.async_wait(ex::wait_for_one(), asio::use_awaitable);
  race_outcome<T> result;
  result.work_first = std::get<0>(outcome)[0] == 0;
  result.work_error = std::get<1>(outcome);
  result.companion_error = std::get<std::tuple_size_v<decltype(outcome)> - 1>(outcome);
  if constexpr (!std::is_void_v<T>) {
    if (!result.work_error) result.value = std::move(*std::get<2>(outcome));
  }
  co_return result;
}

}  // namespace detail

template <class T>
asio::awaitable<T> with_companion(asio::awaitable<T> work, asio::awaitable<void> companion) {
  auto outcome = co_await detail::race(std::move(work), std::move(companion));
  if (outcome.work_error) std::rethrow_exception(outcome.work_error);
  if constexpr (!std::is_void_v<T>) co_return std::move(*outcome.value);
}

}  // namespace cogi::async
