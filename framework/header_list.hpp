#pragma once
// header_list: a response's header fields.
//
// Up to `inline_fields` fields and `inline_bytes` bytes of names and values live in one
// fixed block from a per-thread pool (detail/block_pool.hpp), so building a typical
// response costs no malloc; beyond that it spills to the heap. The list itself is a few
// words: a response stays small in the coroutine frames it passes through (Asio
// recycles frames only up to about 1 KiB), and moving it moves a pointer. Fields are
// offsets into one byte store, so growing the store never invalidates them.
//
//   res.headers.set("cache-control", "no-store");
//   res.headers.add("set-cookie", "a=1");      // add keeps duplicates, set replaces
//   for (cogi::header h : res.headers) ...

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "framework/detail/block_pool.hpp"
#include "server/contract/scope.hpp"

namespace cogi {

class header_list {
 public:
  static constexpr std::size_t inline_fields = 16;
  static constexpr std::size_t inline_bytes = 768;

  header_list() = default;
  header_list(const header_list& other);
  header_list& operator=(const header_list& other);
  header_list(header_list&& other) noexcept;
  header_list& operator=(header_list&& other) noexcept;
  ~header_list();

  // Appends a field; an existing one of the same name is kept (Set-Cookie, Vary...).
  void add(std::string_view name, std::string_view value);
  // Replaces every field named `name` (case-insensitive) by one, or appends it.
  void set(std::string_view name, std::string_view value);
  // Removes every field named `name`.
  void remove(std::string_view name);

  // The first value of `name` (case-insensitive), or an empty view.
  std::string_view get(std::string_view name) const;
  bool contains(std::string_view name) const;

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  header operator[](std::size_t i) const;

  class iterator {
   public:
    using value_type = header;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const header_list* list, std::size_t i) : list_(list), i_(i) {}
    header operator*() const { return (*list_)[i_]; }
    iterator& operator++() { ++i_; return *this; }
    iterator operator++(int) { auto old = *this; ++i_; return old; }
    bool operator==(const iterator& other) const { return i_ == other.i_; }
   private:
    const header_list* list_ = nullptr;
    std::size_t i_ = 0;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, count_}; }

 private:
  struct field {
    std::uint32_t name_at, name_size, value_at, value_size;
  };
  struct block {
    std::array<field, inline_fields> fields;
    std::array<char, inline_bytes> bytes;
  };

  using pool = detail::block_pool<sizeof(block)>;

  field& slot(std::size_t i) { return i < inline_fields ? block_->fields[i] : spilled_fields_[i - inline_fields]; }
  const field& slot(std::size_t i) const {
    return i < inline_fields ? block_->fields[i] : spilled_fields_[i - inline_fields];
  }
  std::uint32_t store(std::string_view bytes);
  const char* bytes() const { return spilled_bytes_.empty() ? block_->bytes.data() : spilled_bytes_.data(); }
  std::string_view view(std::uint32_t at, std::uint32_t size) const { return {bytes() + at, size}; }
  void erase(std::size_t i);
  void release() noexcept;

  block* block_ = nullptr;  // taken from the pool on the first add
  std::uint32_t count_ = 0;
  std::uint32_t used_bytes_ = 0;
  std::vector<field> spilled_fields_;
  std::string spilled_bytes_;  // all bytes, once they outgrow the block
};

}  // namespace cogi
