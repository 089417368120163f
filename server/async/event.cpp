#include "cogi/server/async/event.hpp"

namespace cogi::async {

void event::set() {
  set_ = true;
  waiters_.wake_all();
}

namespace {
asio::awaitable<void> ready() { co_return; }
}  // namespace

// Not a coroutine itself: a waiting coroutine holds the wait's own state only (an idle
// WebSocket waits here). Set by the time the wait is awaited, it passes too.
asio::awaitable<void> event::wait() {
  if (set_) return ready();
  return waiters_.async_wait_if([this] { return !set_; }, asio::use_awaitable);
}

}  // namespace cogi::async
