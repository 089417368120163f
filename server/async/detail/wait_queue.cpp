#include "server/async/detail/wait_queue.hpp"

namespace cogi::async::detail {

bool wait_queue::wake_one(std::error_code ec) {
  if (head_ == nullptr) return false;
  head_->complete(ec, false);  // unlinks it
  return true;
}

std::size_t wait_queue::wake_all(std::error_code ec) {
  // Woken waiters resume later (their completion is posted), so none can join the
  // queue again while this loop runs.
  waiter* w = head_;
  const std::size_t woken = size_;
  while (w != nullptr) {
    waiter* next = w->next;
    w->complete(ec, false);
    w = next;
  }
  return woken;
}

void wait_queue::link(waiter* w) {
  w->prev = tail_;
  w->next = nullptr;
  if (tail_ != nullptr) tail_->next = w; else head_ = w;
  tail_ = w;
  ++size_;
}

void wait_queue::unlink(waiter* w) {
  if (w->prev != nullptr) w->prev->next = w->next; else head_ = w->next;
  if (w->next != nullptr) w->next->prev = w->prev; else tail_ = w->prev;
  w->prev = w->next = nullptr;
  --size_;
}

}  // namespace cogi::async::detail
