#include "cogi/server/async/blocking_pool.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace cogi::async {
namespace {

std::mutex shared_mutex;
std::atomic<blocking_pool*> shared_pool{nullptr};
std::size_t shared_size = 0;  // 0: default_size()

}  // namespace

blocking_pool::blocking_pool(std::size_t threads) : size_(std::max<std::size_t>(threads, 1)), pool_(size_) {}

blocking_pool::~blocking_pool() { pool_.join(); }

std::size_t blocking_pool::default_size() {
  return std::min<std::size_t>(32, std::max(1u, std::thread::hardware_concurrency()) + 4);
}

bool blocking_pool::configure_shared(std::size_t threads) {
  std::lock_guard lock(shared_mutex);
  if (shared_pool.load() != nullptr) return false;
  shared_size = threads;
  return true;
}

const blocking_pool* blocking_pool::shared_if_started() { return shared_pool.load(std::memory_order_acquire); }

blocking_pool& blocking_pool::shared() {
  if (blocking_pool* pool = shared_pool.load(std::memory_order_acquire)) return *pool;
  std::lock_guard lock(shared_mutex);
  if (shared_pool.load() == nullptr) {
    // Never destroyed: blocking calls may still be running when main() returns, and
    // joining them then could hang the exit.
    shared_pool.store(new blocking_pool(shared_size != 0 ? shared_size : default_size()), std::memory_order_release);
  }
  return *shared_pool.load();
}

}  // namespace cogi::async
