#include "cogi/server/async/semaphore.hpp"

namespace cogi::async {

bool semaphore::try_acquire() {
  if (available_ == 0 || !waiters_.empty()) return false;
  --available_;
  return true;
}

asio::awaitable<void> semaphore::acquire() {
  if (try_acquire()) co_return;
  // release() hands the permit over by waking us: available_ is not touched here.
  co_await waiters_.async_wait(asio::use_awaitable);
}

void semaphore::release() {
  if (!waiters_.wake_one()) ++available_;
}

}  // namespace cogi::async
