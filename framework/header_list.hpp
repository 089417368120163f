#pragma once
// header_list: a response's header fields.
//
// Up to `inline_fields` fields and `inline_bytes` bytes of names and values live in one
// fixed block from a per-thread pool (detail/block_pool.hpp), so building a typical
// response costs no malloc; beyond that it spills to the heap. The list itself is a few
// words: a response stays small in the coroutine frames it passes through (Asio
// recycles frames only up to about 1 KiB), and moving it moves a pointer. The fields
// are kept as one contiguous array of views whose bytes never move, so the list can be
// handed to response.start as it is (as_span()).
//
//   res.headers.set("cache-control", "no-store");
//   res.headers.add("set-cookie", "a=1");      // add keeps duplicates, set replaces
//   for (cogi::header_field h : res.headers) std::printf("%.*s\n", int(h.name.size()), h.name.data());

#include <array>
#include <deque>
#include <memory>
#include <span>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cogi/framework/detail/block_pool.hpp"
#include "cogi/server/contract/scope.hpp"

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
  header_field operator[](std::size_t i) const { return fields()[i]; }
  // Every field, in order: valid until the list is changed or destroyed.
  std::span<const header_field> as_span() const { return {fields(), count_}; }

  const header_field* begin() const { return fields(); }
  const header_field* end() const { return fields() + count_; }

 private:
  struct block {
    std::array<header_field, inline_fields> fields;
    std::array<char, inline_bytes> bytes;
  };
  // Once the block is full: the fields move to a vector (their bytes stay where they
  // are), and further bytes go into strings that a deque never moves.
  struct spill {
    std::vector<header_field> fields;
    std::deque<std::string> bytes;
  };

  using pool = detail::block_pool<sizeof(block)>;

  header_field* fields() { return spill_ ? spill_->fields.data() : block_ ? block_->fields.data() : nullptr; }
  const header_field* fields() const { return spill_ ? spill_->fields.data() : block_ ? block_->fields.data() : nullptr; }
  std::string_view store(std::string_view bytes);
  void release() noexcept;

  block* block_ = nullptr;  // taken from the pool on the first add
  std::uint32_t count_ = 0;
  std::uint32_t used_bytes_ = 0;  // of block_->bytes
  std::unique_ptr<spill> spill_;
};

}  // namespace cogi
