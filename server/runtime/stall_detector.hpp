#pragma once
// The loop-stall detector (asyncio's debug-mode slow-callback warning, always on): a
// heartbeat timer on each loop notices when it fires later than it should. When the
// loop was kept from running for longer than --stall-threshold (a blocking call, a long
// computation), it logs a warning naming how long and the request most recently handed
// to the app on that loop (method and path), and counts the stall.
//
// The log line is written by the loop itself once it runs again, so nothing is read
// across threads. Attribution is "the last request whose app was started on this loop
// before the stall": exact for a handler that blocks before its first await, the usual
// culprit; a handler that blocks after resuming from an await may be attributed to a
// request started after it.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include <asio/awaitable.hpp>

namespace cogi::runtime {

class stall_detector {
 public:
  // Copies method and path (truncated) at each app start: a few bytes, no allocation.
  void note_request(std::string_view method, std::string_view path);

  // The heartbeat; runs until the loop stops. threshold 0: returns at once (off).
  asio::awaitable<void> run(std::chrono::milliseconds threshold);

  // Stalls seen so far, readable from any thread.
  std::uint64_t stalls() const { return stalls_.load(std::memory_order_relaxed); }

 private:
  std::array<char, 96> request_{};  // "METHOD /path", NUL-terminated
  std::atomic<std::uint64_t> stalls_{0};
};

}  // namespace cogi::runtime
