#include "cogi/server/runtime/connection_list.hpp"

#include "cogi/server/runtime/as_result.hpp"
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace cogi::runtime {

void connection_list::add(tracked_connection& connection) {
  connection.previous_ = nullptr;
  connection.next_ = head_;
  if (head_) head_->previous_ = &connection;
  head_ = &connection;
  size_.add();
}

void connection_list::remove(tracked_connection& connection) {
  if (connection.previous_) connection.previous_->next_ = connection.next_;
  else head_ = connection.next_;
  if (connection.next_) connection.next_->previous_ = connection.previous_;
  connection.previous_ = connection.next_ = nullptr;
  size_.subtract();
  if (size() == 0 && empty_waiter_) empty_waiter_->cancel();
}

template <class Action>
void connection_list::for_each(Action action) {
  // drain()/abort() only close sockets; removal happens later in the connection's own
  // coroutine, but take `next` first anyway.
  for (tracked_connection* c = head_; c != nullptr;) {
    tracked_connection* next = c->next_;
    action(*c);
    c = next;
  }
}

void connection_list::drain_all() {
  for_each([](tracked_connection& c) { c.drain(); });
}

void connection_list::abort_all() {
  for_each([](tracked_connection& c) { c.abort(); });
}

asio::awaitable<void> connection_list::wait_until_empty() {
  asio::steady_timer timer(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
  empty_waiter_ = &timer;
  while (size() > 0) {
    co_await timer.async_wait(as_result);
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) break;
  }
  empty_waiter_ = nullptr;
}

}  // namespace cogi::runtime
