#pragma once
// A monotonic clock read from the kernel's last tick (CLOCK_MONOTONIC_COARSE): a plain
// memory read in the vDSO, where steady_clock reads the TSC. Its resolution is one
// scheduler tick (1-4 ms), far finer than what it is used for: the per-request
// timeouts, which are checked every watchdog period anyway. Reading it on every request
// costs a few nanoseconds instead of tens.

#include <chrono>
#include <ctime>

namespace cogi::runtime {

struct coarse_clock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<coarse_clock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

}  // namespace cogi::runtime
