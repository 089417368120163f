#include "cogi/server/runtime/buffer_pool.hpp"

namespace cogi::runtime {

std::unique_ptr<char[]> buffer_pool::acquire() {
  if (free_.empty()) return std::make_unique_for_overwrite<char[]>(buffer_size);
  auto buffer = std::move(free_.back());
  free_.pop_back();
  return buffer;
}

void buffer_pool::release(std::unique_ptr<char[]> buffer) {
  if (buffer && free_.size() < max_pooled_) free_.push_back(std::move(buffer));
}

}  // namespace cogi::runtime
