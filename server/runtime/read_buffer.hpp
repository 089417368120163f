#pragma once
// A connection's input bytes: [begin, end) of `data` are received and not yet consumed.
// Standard-size storage comes from the loop's buffer_pool; a request head larger than
// that gets a one-off larger buffer, freed (not pooled) when released.

#include <cstddef>
#include <memory>
#include <string_view>

#include "cogi/server/runtime/buffer_pool.hpp"

namespace cogi::runtime {

class read_buffer {
 public:
  explicit read_buffer(buffer_pool& pool) : pool_(&pool) {}
  read_buffer(const read_buffer&) = delete;
  read_buffer& operator=(const read_buffer&) = delete;
  ~read_buffer() { release(); }

  bool has_storage() const { return data_ != nullptr; }
  char* data() { return data_.get(); }
  std::size_t capacity() const { return capacity_; }

  std::size_t begin() const { return begin_; }
  std::size_t end() const { return end_; }
  std::size_t pending() const { return end_ - begin_; }
  std::string_view pending_view() const { return {data_.get() + begin_, end_ - begin_}; }
  char* free_space() { return data_.get() + end_; }
  std::size_t free_size() const { return capacity_ - end_; }

  void ensure_storage();
  void release();  // returns storage to the pool; only when nothing is pending
  void commit(std::size_t received) { end_ += received; }
  void consume(std::size_t n) { begin_ += n; }
  // Moves pending bytes down to `keep_until` (the bytes before it stay as they are).
  void compact(std::size_t keep_until = 0);
  // Makes room for at least `min_free` more bytes, compacting down to `keep_until` and
  // growing the storage when that is not enough.
  void reserve_free(std::size_t min_free, std::size_t keep_until = 0);

 private:
  buffer_pool* pool_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace cogi::runtime
