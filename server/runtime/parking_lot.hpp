#pragma once
// Idle keep-alive connections, parked without their coroutines (C10K, docs/performance.md).
//
// A connection that has idled for park_delay ends its serving coroutines, whose frames
// and parser state cost about 8 KB, and leaves here only its socket, waiting for
// readability, and what it must remember (connection_history): about 1.3 KB of resident
// memory in all, measured over 10,000 (nginx keeps 0.5 KB). When the client sends again,
// the connection is served afresh by serve_connection(). The keep-alive timeout,
// graceful drain and abort reach parked connections here. Loop-local: no lock.
//
// What the coroutines freed must also leave the process: with glibc's malloc, a burst
// of 10,000 connections going idle leaves ~5 KB per connection resident in heap pages
// that each still hold some small live object. The server's programs therefore use
// jemalloc, which keeps objects of a size together, so that freed frames empty whole
// pages (server/runtime/jemalloc_config.cpp); and a second after a burst of parks the
// lot has those pages returned to the system (memory_release.hpp).

#include <cstddef>

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/server/runtime/coarse_clock.hpp"
#include "cogi/server/runtime/connection.hpp"
#include "cogi/server/runtime/loop_counter.hpp"

namespace cogi::runtime {

class event_loop;

class parking_lot {
 public:
  explicit parking_lot(event_loop& loop);
  parking_lot(const parking_lot&) = delete;
  parking_lot& operator=(const parking_lot&) = delete;
  ~parking_lot();

  // Takes an idle connection's socket; it is closed at idle_since + the keep-alive
  // timeout unless the client sends again first.
  void park(stream_socket socket, connection_history history, coarse_clock::time_point idle_since);

  // Connections parked on this loop now; readable from any thread.
  std::size_t size() const { return static_cast<std::size_t>(parked_.get()); }

 private:
  class parked;
  void link(parked& p);
  void unlink(parked& p);
  void resume(parked& p);
  asio::awaitable<void> sweep();  // closes connections whose keep-alive time is up
  void release_memory_after_bursts();

  event_loop& loop_;
  // Parked connections in the order they parked, which is the order their keep-alive
  // time runs out in (the timeout is the same for all; park times are at most a
  // watchdog period out of order, and a close may come that much late).
  parked* head_ = nullptr;
  parked* tail_ = nullptr;
  asio::steady_timer sweep_timer_;
  bool sweeping_ = false;
  asio::steady_timer release_timer_;
  bool release_pending_ = false;
  std::size_t parked_since_release_ = 0;
  loop_counter parked_;
};

}  // namespace cogi::runtime
