#include "cogi/server/runtime/stall_detector.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi::runtime {

void stall_detector::note_request(std::string_view method, std::string_view path) {
  const std::size_t room = request_.size() - 1;
  const std::size_t m = std::min(method.size(), room);
  std::memcpy(request_.data(), method.data(), m);
  std::size_t used = m;
  if (used < room) request_[used++] = ' ';
  const std::size_t p = std::min(path.size(), room - used);
  std::memcpy(request_.data() + used, path.data(), p);
  request_[used + p] = '\0';
}

asio::awaitable<void> stall_detector::run(std::chrono::milliseconds threshold) {
  if (threshold.count() <= 0) co_return;
  using clock = std::chrono::steady_clock;
  // Beat twice per threshold: a stall of `threshold` delays some beat by at least half
  // of it, and idle loops stay idle (a few wake-ups a second).
  const auto period = std::max<clock::duration>(threshold / 2, std::chrono::milliseconds(5));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    const auto due = clock::now() + period;
    timer.expires_at(due);
    auto [ec] = co_await timer.async_wait(as_result);
    if (ec) co_return;  // the loop is shutting down
    const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - due);
    if (late < threshold) continue;
    const std::string_view request = request_[0] != '\0' ? std::string_view(request_.data()) : "none yet";
    log::warning("event loop blocked for " + std::to_string(late.count()) + " ms (stall threshold " +
                 std::to_string(threshold.count()) + " ms); last request started there: " + std::string(request));
    stalls_.fetch_add(1, std::memory_order_relaxed);  // after the log line: a reader of the count can find it
  }
}

}  // namespace cogi::runtime
