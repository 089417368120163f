#pragma once
// A number one loop keeps and any thread may read (server::stats(), tests, metrics):
// written only by its loop's thread, so an update is a plain relaxed load and store, no
// read-modify-write and no shared cache line bouncing between loops; a reader sees a
// recent value. Loops' counters are summed when read (shared nothing, docs/architecture.md).

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

namespace cogi::runtime {

class loop_counter {
 public:
  void add(std::uint64_t n = 1) { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void subtract(std::uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
  }
  std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// The statuses the server refuses requests with before (or instead of) the app: a
// counter each, and one for anything else.
inline constexpr std::array<int, 8> rejection_statuses = {400, 408, 413, 414, 417, 431, 501, 505};

// What every loop counts.
struct loop_counters {
  loop_counter requests;                // requests handed to the app
  loop_counter requests_in_flight;      // handed to the app and not yet answered
  loop_counter connections_accepted;    // by the acceptors, for this loop
  loop_counter connections_timed_out;   // closed by a header, body or keep-alive timeout
  loop_counter connections_aborted;     // closed when a graceful shutdown ran out of time
  loop_counter bytes_received;          // from clients' sockets
  loop_counter bytes_sent;              // to clients' sockets
  loop_counter websockets_open;         // WebSocket connections past the 101
  loop_counter websocket_messages_received;
  loop_counter websocket_messages_sent;
  // Requests refused by the server itself, by rejection_statuses (the last: others).
  std::array<loop_counter, rejection_statuses.size() + 1> rejections;

  void count_rejection(int status) {
    const auto* found = std::find(rejection_statuses.begin(), rejection_statuses.end(), status);
    rejections[static_cast<std::size_t>(found - rejection_statuses.begin())].add();
  }
};

}  // namespace cogi::runtime
