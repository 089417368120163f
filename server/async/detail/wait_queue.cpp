#include "cogi/server/async/detail/wait_queue.hpp"

namespace cogi::async::detail {

bool wait_queue::wake_one(std::error_code ec) {
  waiter* w = head_;
  if (w == nullptr) return false;
  unlink(w);
  w->post_finish(ec);
  return true;
}

std::size_t wait_queue::wake_all(std::error_code ec) {
  const std::size_t woken = size_;
  while (wake_one(ec)) {
  }
  return woken;
}

void wait_queue::cancel_handler::operator()(asio::cancellation_type) {
  waiter* target = std::exchange(w, nullptr);
  if (target == nullptr) return;
  {
    // Without a guard everything happens on this thread: a waiter that is no longer
    // queued was woken, and its posted finish will resume it. With one, a waker on
    // another thread may be unlinking it right now: decide under the lock.
    std::unique_lock<std::mutex> lock;
    if (guard != nullptr) lock = std::unique_lock(*guard);
    if (!target->queued) return;
    queue->unlink(target);
  }
  target->finish(asio::error::operation_aborted, true);
}

void wait_queue::link(waiter* w) {
  w->prev = tail_;
  w->next = nullptr;
  if (tail_ != nullptr) tail_->next = w; else head_ = w;
  tail_ = w;
  w->queued = true;
  ++size_;
}

void wait_queue::unlink(waiter* w) {
  if (w->prev != nullptr) w->prev->next = w->next; else head_ = w->next;
  if (w->next != nullptr) w->next->prev = w->prev; else tail_ = w->prev;
  w->prev = w->next = nullptr;
  w->queued = false;
  --size_;
}

}  // namespace cogi::async::detail
