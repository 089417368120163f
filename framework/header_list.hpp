#pragma once
// header_list: a response's header fields, kept inside the response object itself.
//
// Up to `inline_fields` fields and `inline_bytes` bytes of names and values live in
// fixed arrays, so building a typical response costs no heap allocation; beyond that it
// spills to the heap. Fields are stored as offsets into one byte store, which keeps a
// response cheap and safe to move (coroutines move it twice on its way to the server).
//
//   res.headers.set("cache-control", "no-store");
//   res.headers.add("set-cookie", "a=1");      // add keeps duplicates, set replaces
//   for (cogi::header h : res.headers) ...

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/contract/scope.hpp"

namespace cogi {

class header_list {
 public:
  static constexpr std::size_t inline_fields = 12;
  static constexpr std::size_t inline_bytes = 320;

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
  field& slot(std::size_t i) { return i < inline_fields ? inline_fields_[i] : spilled_fields_[i - inline_fields]; }
  const field& slot(std::size_t i) const {
    return i < inline_fields ? inline_fields_[i] : spilled_fields_[i - inline_fields];
  }
  std::uint32_t store(std::string_view bytes);
  const char* bytes() const { return spilled_bytes_.empty() ? inline_bytes_.data() : spilled_bytes_.data(); }
  std::string_view view(std::uint32_t at, std::uint32_t size) const { return {bytes() + at, size}; }
  void erase(std::size_t i);

  std::size_t count_ = 0;
  std::uint32_t used_bytes_ = 0;
  std::array<field, inline_fields> inline_fields_{};
  std::vector<field> spilled_fields_;
  std::array<char, inline_bytes> inline_bytes_{};
  std::string spilled_bytes_;  // all bytes, once they outgrow inline_bytes_
};

}  // namespace cogi
