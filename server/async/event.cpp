#include "cogi/server/async/event.hpp"

namespace cogi::async {

void event::set() {
  set_ = true;
  waiters_.wake_all();
}

asio::awaitable<void> event::wait() {
  if (set_) co_return;
  co_await waiters_.async_wait(asio::use_awaitable);
}

}  // namespace cogi::async
