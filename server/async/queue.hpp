#pragma once
// asyncio.Queue for one loop: a FIFO of T with an optional bound, async put() and get(),
// task_done()/join() to wait until every item was processed, and close() to end it.
//
// Fairness: waiting producers and consumers are served first come first served. An
// item put while consumers wait is reserved for the oldest of them (nobody overtakes
// it with try_get), and a slot freed while producers wait is reserved likewise.
// Loop-local: use it from its loop's thread only (a queue between threads and loops is
// thread_queue).

#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "cogi/server/async/detail/wait_queue.hpp"

namespace cogi::async {

// put() on a closed queue, or get() on a closed queue that is empty.
class queue_closed : public std::runtime_error {
 public:
  queue_closed() : std::runtime_error("queue closed") {}
};

template <class T>
class queue {
 public:
  // capacity 0: unbounded.
  explicit queue(std::size_t capacity = 0) : capacity_(capacity) {}
  queue(const queue&) = delete;
  queue& operator=(const queue&) = delete;

  // Adds an item, waiting while the queue is full. Throws queue_closed; cancellable
  // (a cancelled put adds nothing).
  asio::awaitable<void> put(T item);
  // Adds an item if there is room now and nobody waits to put; else leaves it alone.
  bool try_put(T&& item);
  // Takes the oldest item, waiting while there is none. After close(), the remaining
  // items are still handed out; then it throws queue_closed. Cancellable (a cancelled
  // get takes nothing).
  asio::awaitable<T> get();
  std::optional<T> try_get();

  // A consumer finished an item it got; join() returns once every item put was done.
  void task_done();
  asio::awaitable<void> join();

  // No more puts: waiting producers get queue_closed, and consumers once it is empty.
  void close();

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  bool full() const { return capacity_ != 0 && items_.size() >= capacity_; }
  bool closed() const { return closed_; }

 private:
  // How wait_queue tells a waiter that close() woke it (not a put or a get).
  static constexpr auto closed_code = asio::error::eof;
  static constexpr auto as_result = asio::experimental::as_tuple(asio::use_awaitable);

  bool room_for_newcomer() const {
    return putters_.empty() && (capacity_ == 0 || items_.size() + slots_reserved_ < capacity_);
  }
  bool item_for_newcomer() const { return getters_.empty() && items_.size() > items_reserved_; }
  void push(T&& item);
  T pop();
  static void throw_if_failed(const std::error_code& ec);

  std::size_t capacity_;
  std::deque<T> items_;
  std::size_t items_reserved_ = 0;  // items promised to woken consumers
  std::size_t slots_reserved_ = 0;  // free slots promised to woken producers
  std::size_t unfinished_ = 0;      // put, but not yet task_done()
  bool closed_ = false;
  detail::wait_queue getters_;
  detail::wait_queue putters_;
  detail::wait_queue joiners_;
};

template <class T>
void queue<T>::push(T&& item) {
  items_.push_back(std::move(item));
  ++unfinished_;
  if (!getters_.empty()) {
    ++items_reserved_;
    getters_.wake_one();
  }
}

template <class T>
T queue<T>::pop() {
  T item = std::move(items_.front());
  items_.pop_front();
  if (!putters_.empty()) {
    ++slots_reserved_;
    putters_.wake_one();
  }
  return item;
}

template <class T>
void queue<T>::throw_if_failed(const std::error_code& ec) {
  if (ec == closed_code) throw queue_closed();
  if (ec) throw std::system_error(ec);  // operation_aborted: cancelled
}

template <class T>
bool queue<T>::try_put(T&& item) {
  if (closed_) throw queue_closed();
  if (!room_for_newcomer()) return false;
  push(std::move(item));
  return true;
}

template <class T>
asio::awaitable<void> queue<T>::put(T item) {
  if (closed_) throw queue_closed();
  if (!room_for_newcomer()) {
    auto [ec] = co_await putters_.async_wait(as_result);
    throw_if_failed(ec);
    --slots_reserved_;  // pop() reserved this slot for us
  }
  push(std::move(item));
}

template <class T>
std::optional<T> queue<T>::try_get() {
  if (!item_for_newcomer()) return std::nullopt;
  return pop();
}

template <class T>
asio::awaitable<T> queue<T>::get() {
  if (item_for_newcomer()) co_return pop();
  if (closed_) throw queue_closed();  // and nothing left that is not promised to others
  auto [ec] = co_await getters_.async_wait(as_result);
  throw_if_failed(ec);
  --items_reserved_;  // push() reserved the item for us
  co_return pop();
}

template <class T>
void queue<T>::task_done() {
  if (unfinished_ == 0) throw std::logic_error("task_done() called more times than items were put");
  if (--unfinished_ == 0) joiners_.wake_all();
}

template <class T>
asio::awaitable<void> queue<T>::join() {
  while (unfinished_ > 0) co_await joiners_.async_wait(asio::use_awaitable);
}

template <class T>
void queue<T>::close() {
  if (closed_) return;
  closed_ = true;
  putters_.wake_all(closed_code);
  // Consumers still waiting have no item coming: every item already there is reserved.
  getters_.wake_all(closed_code);
}

}  // namespace cogi::async
