#include "cogi/server/async/task.hpp"

#include <algorithm>

#include <asio/error.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/task_group.hpp"

namespace cogi::async {
namespace detail {

void task_core::cancel() {
  if (done) return;
  cancel_requested = true;
  cancel_signal.emit(asio::cancellation_type::terminal);
}

void task_core::finish(std::exception_ptr failure) {
  error = std::move(failure);
  done = true;
  waiters.wake_all();
  if (auto owner = std::move(group)) owner->child_done(*this);
}

void group_core::child_done(task_core& child) {
  const auto it = std::find_if(running.begin(), running.end(), [&](const auto& c) { return c.get() == &child; });
  std::shared_ptr<task_core> keep;  // the child may be held only by this list
  if (it != running.end()) {
    keep = std::move(*it);
    running.erase(it);
  }
  // A failure is any exception but the cancellations the group itself caused.
  const bool failed = child.error && !(child.cancel_requested && is_cancellation(child.error));
  if (failed && !first_failure) {
    first_failure = child.error;
    cancel_all();
  }
  if (running.empty()) idle.wake_all();
}

void group_core::cancel_all() {
  // A copy: cancellation completes through posted handlers, so no child should leave the
  // list during this loop, but the loop must not depend on that.
  const auto children = running;
  for (const auto& child : children) child->cancel();
}

}  // namespace detail

asio::awaitable<void> task_group::wait() {
  auto core = core_;  // the group object may go away while we wait
  bool cancelled = false;
  try {
    while (!core->running.empty()) co_await core->idle.async_wait(asio::use_awaitable);
  } catch (const std::system_error& error) {
    if (!is_cancellation(error)) throw;
    cancelled = true;  // (no co_await inside a catch block)
  }
  if (cancelled) {
    // Our caller is being cancelled: take the children down with it, and wait for them
    // so that none outlives this call.
    core->cancel_all();
    co_await asio::this_coro::reset_cancellation_state();
    while (!core->running.empty()) co_await core->idle.async_wait(asio::use_awaitable);
    throw std::system_error(asio::error::operation_aborted);
  }
  if (core->first_failure) std::rethrow_exception(core->first_failure);
}

}  // namespace cogi::async
