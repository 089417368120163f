#include "tests/support/waiting.hpp"

#include <thread>

namespace cogi::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a poll, not a wait for time
  }
  return true;
}

}  // namespace cogi::testing
