#pragma once
// A FIFO that connects plain threads and loops in both directions (asyncio's
// queue.Queue + run_in_executor / run_coroutine_threadsafe patterns in one object):
// coroutines on any loop use put()/get() and suspend, plain threads use
// put_blocking()/get_blocking() and block. Optionally bounded; close() ends it as
// async::queue's does. Items come out in the order they went in; waiting consumers
// are woken in arrival order, but a newcomer may take an item first (as with Python's
// queue.Queue). Never call the *_blocking functions on a loop's thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "cogi/server/async/detail/wait_queue.hpp"
#include "cogi/server/async/queue.hpp"  // queue_closed

namespace cogi::async {

template <class T>
class thread_queue {
 public:
  // capacity 0: unbounded.
  explicit thread_queue(std::size_t capacity = 0) : capacity_(capacity) {}
  thread_queue(const thread_queue&) = delete;
  thread_queue& operator=(const thread_queue&) = delete;

  // From a coroutine on any loop. Cancellable; throw queue_closed as async::queue's do.
  asio::awaitable<void> put(T item);
  asio::awaitable<T> get();
  // From a plain thread: block it until done.
  void put_blocking(T item);
  T get_blocking();
  // From anywhere, without waiting.
  bool try_put(T&& item);
  std::optional<T> try_get();

  void close();
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  static constexpr auto as_result = asio::experimental::as_tuple(asio::use_awaitable);

  bool has_room() const { return capacity_ == 0 || items_.size() < capacity_; }
  // Both under mutex_: hand over, then tell one waiter of the other side (a thread via
  // the condition variable, a coroutine via its wait queue).
  void push_locked(T&& item);
  T pop_locked();

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<T> items_;
  bool closed_ = false;
  std::condition_variable changed_;            // blocked threads
  detail::wait_queue getters_{&mutex_};        // suspended coroutines
  detail::wait_queue putters_{&mutex_};
};

template <class T>
void thread_queue<T>::push_locked(T&& item) {
  items_.push_back(std::move(item));
  getters_.wake_one();
  changed_.notify_all();
}

template <class T>
T thread_queue<T>::pop_locked() {
  T item = std::move(items_.front());
  items_.pop_front();
  putters_.wake_one();
  changed_.notify_all();
  return item;
}

template <class T>
bool thread_queue<T>::try_put(T&& item) {
  std::lock_guard lock(mutex_);
  if (closed_) throw queue_closed();
  if (!has_room()) return false;
  push_locked(std::move(item));
  return true;
}

template <class T>
std::optional<T> thread_queue<T>::try_get() {
  std::lock_guard lock(mutex_);
  if (items_.empty()) return std::nullopt;
  return pop_locked();
}

template <class T>
asio::awaitable<void> thread_queue<T>::put(T item) {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) throw queue_closed();
      if (has_room()) {
        push_locked(std::move(item));
        co_return;
      }
    }
    // Rechecked under the lock inside: a get() between the check above and the wait
    // would otherwise be missed.
    auto [ec] = co_await putters_.async_wait_if([this] { return !closed_ && !has_room(); }, as_result);
    if (ec) throw std::system_error(ec);
  }
}

template <class T>
asio::awaitable<T> thread_queue<T>::get() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!items_.empty()) co_return pop_locked();
      if (closed_) throw queue_closed();
    }
    auto [ec] = co_await getters_.async_wait_if([this] { return !closed_ && items_.empty(); }, as_result);
    if (ec) throw std::system_error(ec);
  }
}

template <class T>
void thread_queue<T>::put_blocking(T item) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return closed_ || has_room(); });
  if (closed_) throw queue_closed();
  push_locked(std::move(item));
}

template <class T>
T thread_queue<T>::get_blocking() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return closed_ || !items_.empty(); });
  if (items_.empty()) throw queue_closed();
  return pop_locked();
}

template <class T>
void thread_queue<T>::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  getters_.wake_all();  // they recheck: drain what is left, then queue_closed
  putters_.wake_all();
  changed_.notify_all();
}

}  // namespace cogi::async
