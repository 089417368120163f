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
#include <optional>
#include <system_error>
#include <type_traits>
#include <utility>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "server/async/blocking_pool.hpp"

namespace cogi::async {
namespace detail {

template <class R>
struct blocking_outcome {
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
  std::exception_ptr error;
};

// One call in flight: owns the waiting coroutine's handler until either the call's
// result comes back or the coroutine is cancelled, whichever is first. Both happen on
// the coroutine's loop, so deciding which takes no lock.
template <class R, class Handler>
struct blocking_call {
  using executor_type = asio::associated_executor_t<Handler, asio::any_io_executor>;

  blocking_call(Handler&& h) : handler(std::move(h)), work(asio::get_associated_executor(*handler)) {}

  void finish(std::exception_ptr error, bool from_cancellation) {
    if (!handler) return;  // the other outcome came first
    auto slot = asio::get_associated_cancellation_slot(*handler);
    if (!from_cancellation && slot.is_connected()) slot.clear();
    auto h = std::move(*handler);
    handler.reset();
    asio::post(work.get_executor(), [h = std::move(h), error]() mutable { std::move(h)(error); });
  }

  std::optional<Handler> handler;
  // Held until the call's own result has come back, even after a cancellation: the
  // loop must still be there to receive it.
  asio::executor_work_guard<executor_type> work;
};

}  // namespace detail

template <class F>
asio::awaitable<std::invoke_result_t<F>> run_blocking(blocking_pool& pool, F call) {
  using R = std::invoke_result_t<F>;
  auto outcome = std::make_shared<detail::blocking_outcome<R>>();
  // A named object, not a temporary inside the co_await expression: GCC 12 destroys
  // such temporaries twice (here: one shared_ptr release too many).
  auto start = [&pool, outcome](auto handler, F fn) {
        using call_t = detail::blocking_call<R, decltype(handler)>;
        auto state = std::make_shared<call_t>(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(*state->handler);
        if (slot.is_connected()) {
          slot.assign([state](asio::cancellation_type) {
            state->finish(std::make_exception_ptr(std::system_error(asio::error::operation_aborted)), true);
          });
        }
        asio::post(pool.executor(), [state, outcome, loop = state->work.get_executor(), fn = std::move(fn)]() mutable {
          try {
            if constexpr (std::is_void_v<R>) {
              fn();
            } else {
              outcome->value.emplace(fn());
            }
          } catch (...) {
            outcome->error = std::current_exception();
          }
          // Back to the caller's loop; the post orders our writes before its reads.
          asio::post(loop, [state, outcome] { state->finish(outcome->error, false); });
        });
      };
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(start, asio::use_awaitable,
                                                                                           std::move(call));
  if constexpr (!std::is_void_v<R>) co_return std::move(*outcome->value);
}

// On the process-wide blocking_pool::shared().
template <class F>
asio::awaitable<std::invoke_result_t<F>> run_blocking(F call) {
  return run_blocking(blocking_pool::shared(), std::move(call));
}

}  // namespace cogi::async
