#pragma once
// One object per loop: what a client keeps for each loop it serves (a pool of database
// connections, a multiplexed Redis connection), created on that loop and found by any
// coroutine running there without a lock.
//
//   async::per_loop<pool> pools;
//   pool& mine = pools.emplace(loop, settings);   // on the loop, at startup
//   pool* found = pools.find(loop);               // on the loop, per request: no lock
//   std::unique_ptr<pool> gone = pools.erase(loop);
//
// `loop` is the loop's execution context (asio::query(executor, asio::execution::context)
// or io_context itself). Each thread remembers the last few objects it found, so the
// lookup on a request's path reads a small thread-local array; the registry's mutex is
// taken by emplace, erase and a first lookup on a thread. An entry is only added or
// removed on its own loop's thread, so no thread ever finds a stale one.

#include <atomic>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include <asio/execution_context.hpp>

namespace cogi::async {

namespace detail {
inline std::uint64_t next_per_loop_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}
}  // namespace detail

template <class T>
class per_loop {
 public:
  per_loop() = default;
  per_loop(const per_loop&) = delete;
  per_loop& operator=(const per_loop&) = delete;

  // Creates this loop's object; throws std::logic_error if there is one already.
  template <class... Args>
  T& emplace(asio::execution_context& loop, Args&&... args) {
    const std::lock_guard lock(mutex_);
    for (const entry& e : entries_) {
      if (e.loop == &loop) throw std::logic_error("already created on this loop");
    }
    entries_.push_back({&loop, std::make_unique<T>(std::forward<Args>(args)...)});
    return *entries_.back().object;
  }

  // This loop's object, or nullptr.
  T* find(asio::execution_context& loop) {
    for (const cached& c : cache()) {
      if (c.registry == id_ && c.loop == &loop) return c.object;
    }
    const std::lock_guard lock(mutex_);
    for (const entry& e : entries_) {
      if (e.loop != &loop) continue;
      cache()[next_slot()++ % cache_size] = {id_, &loop, e.object.get()};
      return e.object.get();
    }
    return nullptr;
  }

  // Removes this loop's object (call it on the loop's thread) and hands it over.
  std::unique_ptr<T> erase(asio::execution_context& loop) {
    for (cached& c : cache()) {
      if (c.registry == id_ && c.loop == &loop) c = {};
    }
    const std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->loop != &loop) continue;
      std::unique_ptr<T> object = std::move(it->object);
      entries_.erase(it);
      return object;
    }
    return nullptr;
  }

 private:
  struct entry {
    asio::execution_context* loop;
    std::unique_ptr<T> object;
  };
  struct cached {
    std::uint64_t registry = 0;
    asio::execution_context* loop = nullptr;
    T* object = nullptr;
  };
  static constexpr unsigned cache_size = 4;
  static cached (&cache())[cache_size] {
    thread_local cached entries[cache_size];
    return entries;
  }
  static unsigned& next_slot() {
    thread_local unsigned slot = 0;
    return slot;
  }

  const std::uint64_t id_ = detail::next_per_loop_id();  // tells registries apart in the caches
  std::mutex mutex_;
  std::vector<entry> entries_;
};

}  // namespace cogi::async
