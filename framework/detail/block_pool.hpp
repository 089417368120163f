#pragma once
// Fixed-size memory blocks recycled per thread. Each loop is one thread, so taking and
// returning a block is a vector push/pop with no lock, and a steady request rate causes
// no malloc at all. Blocks returned on another thread simply join that thread's cache.

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace cogi::detail {

template <std::size_t BlockSize>
class block_pool {
 public:
  static void* take() {
    auto& free = cache().blocks;
    if (free.empty()) {
      void* block = std::malloc(BlockSize);
      if (block == nullptr) throw std::bad_alloc();
      return block;
    }
    void* block = free.back();
    free.pop_back();
    return block;
  }

  static void give_back(void* block) noexcept {
    auto& free = cache().blocks;
    if (free.size() < max_cached) {
      try {
        free.push_back(block);
        return;
      } catch (...) {
      }
    }
    std::free(block);
  }

 private:
  // Enough for every response in flight on a busy loop; more are freed, not kept.
  static constexpr std::size_t max_cached = 4096;

  struct thread_cache {
    std::vector<void*> blocks;
    ~thread_cache() {
      for (void* b : blocks) std::free(b);
    }
  };
  static thread_cache& cache() {
    thread_local thread_cache c;
    return c;
  }
};

}  // namespace cogi::detail
