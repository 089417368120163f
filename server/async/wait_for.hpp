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
#include <exception>
#include <utility>

#include <asio/awaitable.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/with_companion.hpp"

namespace cogi::async {

template <class T>
asio::awaitable<T> wait_for(asio::awaitable<T> work, std::chrono::steady_clock::duration timeout) {
  // The work against a timer: the first to end cancels the other (with_companion.hpp).
  auto outcome = co_await detail::race(std::move(work), sleep_for(timeout));
  if (outcome.work_first) {
    if (outcome.work_error) std::rethrow_exception(outcome.work_error);
    if constexpr (!std::is_void_v<T>) co_return std::move(*outcome.value);
  } else if (!outcome.companion_error) {
    throw timeout_error();  // the time ran out; the work has been cancelled and cleaned up
  } else {
    std::rethrow_exception(outcome.companion_error);  // the caller itself was cancelled
  }
}

template <class T>
asio::awaitable<T> wait_until(asio::awaitable<T> work, std::chrono::steady_clock::time_point deadline) {
  return wait_for(std::move(work), deadline - std::chrono::steady_clock::now());
}

}  // namespace cogi::async
