#include "cogi/server/runtime/read_buffer.hpp"

#include <cstring>

namespace cogi::runtime {

void read_buffer::ensure_storage() {
  if (data_) return;
  data_ = pool_->acquire();
  capacity_ = buffer_pool::buffer_size;
  begin_ = end_ = 0;
}

void read_buffer::release() {
  if (!data_) return;
  if (capacity_ == buffer_pool::buffer_size) pool_->release(std::move(data_));
  data_.reset();
  capacity_ = begin_ = end_ = 0;
}

void read_buffer::compact(std::size_t keep_until) {
  if (begin_ == keep_until) return;
  const std::size_t n = pending();
  if (n > 0) std::memmove(data_.get() + keep_until, data_.get() + begin_, n);
  begin_ = keep_until;
  end_ = keep_until + n;
}

void read_buffer::reserve_free(std::size_t min_free, std::size_t keep_until) {
  ensure_storage();
  // With nothing pending, start over at keep_until (a free move): reads then keep
  // landing in the same few cache lines instead of walking the whole buffer, which
  // would miss the cache on every request once many connections are busy.
  if (pending() == 0) compact(keep_until);
  if (free_size() >= min_free) return;
  compact(keep_until);
  if (free_size() >= min_free) return;
  std::size_t new_capacity = capacity_ * 2;
  while (new_capacity - end_ < min_free) new_capacity *= 2;
  auto bigger = std::make_unique_for_overwrite<char[]>(new_capacity);
  std::memcpy(bigger.get(), data_.get(), end_);
  if (capacity_ == buffer_pool::buffer_size) pool_->release(std::move(data_));
  data_ = std::move(bigger);
  capacity_ = new_capacity;
}

}  // namespace cogi::runtime
