#pragma once
// asyncio.TaskGroup: structured concurrency. Children spawned into a group run
// concurrently; wait() returns when all of them have ended. The first child to fail
// cancels its siblings, and wait() rethrows that failure once they have all wound down.
// If the coroutine in wait() is cancelled, the children are cancelled too and wait()
// still waits for them before it rethrows: no child outlives the wait.
//
//   async::task_group group(co_await asio::this_coro::executor);
//   auto a = group.spawn(fetch("a"));
//   auto b = group.spawn(fetch("b"));
//   co_await group.wait();                 // both done, or the first error
//   use(a.take(), b.take());
//
// A group destroyed without wait() cancels the children still running (they finish on
// their own). Loop-local, like task.

#include <cstddef>
#include <memory>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include "cogi/server/async/task.hpp"

namespace cogi::async {
namespace detail {

struct group_core {
  std::vector<std::shared_ptr<task_core>> running;
  std::exception_ptr first_failure;
  wait_queue idle;          // wait() callers, woken when the last child ends

  void child_done(task_core& child);
  void cancel_all();
};

}  // namespace detail

class task_group {
 public:
  explicit task_group(asio::any_io_executor executor)
      : executor_(std::move(executor)), core_(std::make_shared<detail::group_core>()) {}
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;
  ~task_group() { core_->cancel_all(); }

  // Starts a child on the group's executor.
  template <class T>
  task<T> spawn(asio::awaitable<T> body) {
    auto child = detail::start_task<T>(executor_, std::move(body), core_);
    core_->running.push_back(child.state_);
    return child;
  }

  // Waits for every child; rethrows the first failure (see above).
  asio::awaitable<void> wait();
  // Cancels every child still running.
  void cancel() { core_->cancel_all(); }
  std::size_t running() const { return core_->running.size(); }

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<detail::group_core> core_;
};

}  // namespace cogi::async
