#pragma once
// The connections one loop is serving, so that graceful shutdown can reach them. An
// intrusive list: registering a connection allocates nothing. Loop-local: no lock.

#include <cstddef>

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/server/runtime/loop_counter.hpp"

namespace cogi::runtime {

class tracked_connection {
 public:
  // Graceful shutdown: close now if idle, else after the current response.
  virtual void drain() = 0;
  // Forced shutdown: close the socket now.
  virtual void abort() = 0;

 protected:
  tracked_connection() = default;
  virtual ~tracked_connection() = default;

 private:
  friend class connection_list;
  tracked_connection* previous_ = nullptr;
  tracked_connection* next_ = nullptr;
};

class connection_list {
 public:
  void add(tracked_connection& connection);
  void remove(tracked_connection& connection);
  // Connections open on this loop, parked ones included; readable from any thread.
  std::size_t size() const { return static_cast<std::size_t>(size_.get()); }

  void drain_all();
  void abort_all();
  // Completes once the list is empty (used while draining).
  asio::awaitable<void> wait_until_empty();

 private:
  template <class Action>
  void for_each(Action action);

  tracked_connection* head_ = nullptr;
  loop_counter size_;
  asio::steady_timer* empty_waiter_ = nullptr;
};

}  // namespace cogi::runtime
