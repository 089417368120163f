#pragma once
// Per-loop pool of read buffers. A connection holds a buffer only while a request is
// arriving or being served and gives it back while it idles between requests, so
// thousands of idle keep-alive connections cost no buffer memory (docs/performance.md), and
// busy connections reuse buffers without touching the allocator. Loop-local: no lock.

#include <cstddef>
#include <memory>
#include <vector>

namespace cogi::runtime {

class buffer_pool {
 public:
  static constexpr std::size_t buffer_size = 16 * 1024;

  explicit buffer_pool(std::size_t max_pooled = 256) : max_pooled_(max_pooled) {}

  std::unique_ptr<char[]> acquire();
  void release(std::unique_ptr<char[]> buffer);

 private:
  std::size_t max_pooled_;
  std::vector<std::unique_ptr<char[]>> free_;
};

}  // namespace cogi::runtime
