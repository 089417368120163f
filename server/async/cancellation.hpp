#pragma once
// What cancellation and timeouts look like to a coroutine (docs/async.md).
//
// cogi uses Asio's per-operation cancellation. When a task is cancelled (task::cancel(),
// a failing sibling in a task_group, a wait_for() deadline), the operation it is
// suspended in ends at once and the coroutine sees std::system_error with
// asio::error::operation_aborted thrown from that co_await; is_cancellation() tells it
// apart. From then on every co_await of an asynchronous operation in that coroutine
// throws the same, so the coroutine unwinds: destructors and catch blocks run (that is
// the cleanup guarantee). Cleanup that must itself wait first calls
// `co_await asio::this_coro::reset_cancellation_state();`.
//
// A coroutine that is not suspended when cancelled keeps running until its next
// co_await of an asynchronous operation, which throws: cancellation is cooperative.

#include <exception>
#include <stdexcept>
#include <system_error>

namespace cogi::async {

// Whether `error` (or the exception in `error`) is how cancellation reached a coroutine.
bool is_cancellation(const std::exception& error);
bool is_cancellation(const std::exception_ptr& error);

// Thrown by wait_for() when the deadline passed (the awaited work was cancelled).
class timeout_error : public std::runtime_error {
 public:
  timeout_error() : std::runtime_error("timed out") {}
};

// Thrown by awaiting a task that was cancelled before it finished.
class task_cancelled : public std::runtime_error {
 public:
  task_cancelled() : std::runtime_error("task cancelled") {}
};

}  // namespace cogi::async
