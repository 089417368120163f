#pragma once
// How long to wait before trying again after a failure (a reconnection): `first` after
// the first failure, doubling after each further one up to `max`, each wait shortened by
// a random part of up to a fifth so that many clients that failed together do not all
// retry in the same instant. success() starts over.
//
//   async::backoff retry(50ms, 1s);
//   while (!co_await try_connect()) co_await async::sleep_for(retry.next());
//   retry.success();

#include <algorithm>
#include <chrono>
#include <random>

namespace cogi::async {

class backoff {
 public:
  backoff(std::chrono::milliseconds first, std::chrono::milliseconds max) : first_(first), max_(std::max(first, max)) {}

  // The wait before the next attempt; each call counts one more failure.
  std::chrono::milliseconds next() {
    const int doublings = std::min(failures_++, 20);
    const auto full = std::min<std::chrono::milliseconds>(first_ * (1ll << doublings), max_);
    thread_local std::minstd_rand jitter(std::random_device{}());
    const auto fifth = full.count() / 5;
    const auto shortened = fifth > 0 ? std::uniform_int_distribution<long long>(0, fifth)(jitter) : 0;
    return std::chrono::milliseconds(full.count() - shortened);
  }
  void success() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds max_;
  int failures_ = 0;
};

}  // namespace cogi::async
