#include "framework/header_list.hpp"

#include <cstring>
#include <stdexcept>
#include <utility>

#include "server/http/validation.hpp"

namespace cogi {

header_list::header_list(const header_list& other)
    : count_(other.count_),
      used_bytes_(other.used_bytes_),
      spilled_fields_(other.spilled_fields_),
      spilled_bytes_(other.spilled_bytes_) {
  if (other.block_) {
    block_ = static_cast<block*>(pool::take());
    std::memcpy(static_cast<void*>(block_), other.block_, sizeof(block));
  }
}

header_list& header_list::operator=(const header_list& other) {
  if (this != &other) {
    header_list copy(other);
    *this = std::move(copy);
  }
  return *this;
}

header_list::header_list(header_list&& other) noexcept
    : block_(std::exchange(other.block_, nullptr)),
      count_(std::exchange(other.count_, 0)),
      used_bytes_(std::exchange(other.used_bytes_, 0)),
      spilled_fields_(std::move(other.spilled_fields_)),
      spilled_bytes_(std::move(other.spilled_bytes_)) {
  other.spilled_fields_.clear();
  other.spilled_bytes_.clear();
}

header_list& header_list::operator=(header_list&& other) noexcept {
  if (this != &other) {
    release();
    block_ = std::exchange(other.block_, nullptr);
    count_ = std::exchange(other.count_, 0);
    used_bytes_ = std::exchange(other.used_bytes_, 0);
    spilled_fields_ = std::move(other.spilled_fields_);
    spilled_bytes_ = std::move(other.spilled_bytes_);
    other.spilled_fields_.clear();
    other.spilled_bytes_.clear();
  }
  return *this;
}

header_list::~header_list() { release(); }

void header_list::release() noexcept {
  if (block_) pool::give_back(std::exchange(block_, nullptr));
  count_ = 0;
  used_bytes_ = 0;
}

std::uint32_t header_list::store(std::string_view data) {
  if (!block_) block_ = static_cast<block*>(pool::take());
  const std::size_t at = used_bytes_;
  if (at + data.size() > UINT32_MAX) throw std::length_error("response headers too large");
  if (spilled_bytes_.empty() && at + data.size() > inline_bytes) {
    spilled_bytes_.reserve(2 * (at + data.size()));
    spilled_bytes_.assign(block_->bytes.data(), at);
  }
  if (spilled_bytes_.empty()) {
    std::memcpy(block_->bytes.data() + at, data.data(), data.size());
  } else {
    spilled_bytes_.append(data);
  }
  used_bytes_ = static_cast<std::uint32_t>(at + data.size());
  return static_cast<std::uint32_t>(at);
}

void header_list::add(std::string_view name, std::string_view value) {
  field f{};
  f.name_at = store(name);
  f.name_size = static_cast<std::uint32_t>(name.size());
  f.value_at = store(value);
  f.value_size = static_cast<std::uint32_t>(value.size());
  if (count_ < inline_fields) {
    block_->fields[count_] = f;
  } else {
    spilled_fields_.push_back(f);
  }
  ++count_;
}

void header_list::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void header_list::erase(std::size_t i) {
  // Shift the later fields down; their bytes stay where they are (the space of the
  // removed field is not reused: a response sets few headers).
  for (std::size_t j = i + 1; j < count_; ++j) slot(j - 1) = slot(j);
  --count_;
  if (count_ >= inline_fields) spilled_fields_.pop_back();
}

void header_list::remove(std::string_view name) {
  for (std::size_t i = count_; i-- > 0;)
    if (http::iequals(view(slot(i).name_at, slot(i).name_size), name)) erase(i);
}

std::string_view header_list::get(std::string_view name) const {
  for (std::size_t i = 0; i < count_; ++i) {
    const field& f = slot(i);
    if (http::iequals(view(f.name_at, f.name_size), name)) return view(f.value_at, f.value_size);
  }
  return {};
}

bool header_list::contains(std::string_view name) const {
  for (std::size_t i = 0; i < count_; ++i)
    if (http::iequals(view(slot(i).name_at, slot(i).name_size), name)) return true;
  return false;
}

header header_list::operator[](std::size_t i) const {
  const field& f = slot(i);
  return {view(f.name_at, f.name_size), view(f.value_at, f.value_size)};
}

}  // namespace cogi
