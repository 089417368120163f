#include "cogi/framework/header_list.hpp"

#include <cstring>
#include <utility>

#include "cogi/server/http/validation.hpp"

namespace cogi {

header_list::header_list(const header_list& other) {
  for (const header_field& h : other) add(h.name, h.value);  // views into our own storage
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
      spill_(std::move(other.spill_)) {}

header_list& header_list::operator=(header_list&& other) noexcept {
  if (this != &other) {
    release();
    block_ = std::exchange(other.block_, nullptr);
    count_ = std::exchange(other.count_, 0);
    used_bytes_ = std::exchange(other.used_bytes_, 0);
    spill_ = std::move(other.spill_);
  }
  return *this;
}

header_list::~header_list() { release(); }

void header_list::release() noexcept {
  spill_.reset();
  if (block_) pool::give_back(std::exchange(block_, nullptr));
  count_ = 0;
  used_bytes_ = 0;
}

std::string_view header_list::store(std::string_view data) {
  if (!spill_ && used_bytes_ + data.size() <= inline_bytes) {
    char* at = block_->bytes.data() + used_bytes_;
    std::memcpy(at, data.data(), data.size());
    used_bytes_ += static_cast<std::uint32_t>(data.size());
    return {at, data.size()};
  }
  return spill_->bytes.emplace_back(data);
}

void header_list::add(std::string_view name, std::string_view value) {
  if (!block_) block_ = static_cast<block*>(pool::take());
  const bool block_full = count_ == inline_fields || used_bytes_ + name.size() + value.size() > inline_bytes;
  if (!spill_ && block_full) {
    spill_ = std::make_unique<spill>();
    spill_->fields.assign(block_->fields.begin(), block_->fields.begin() + count_);
  }
  const header_field field{store(name), store(value)};
  if (spill_) {
    spill_->fields.push_back(field);
  } else {
    block_->fields[count_] = field;
  }
  ++count_;
}

void header_list::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void header_list::remove(std::string_view name) {
  // The bytes of removed fields stay where they are: a response sets few headers.
  header_field* all = fields();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < count_; ++i)
    if (!http::iequals(all[i].name, name)) all[kept++] = all[i];
  count_ = static_cast<std::uint32_t>(kept);
  if (spill_) spill_->fields.resize(kept);
}

std::string_view header_list::get(std::string_view name) const {
  for (const header_field& h : *this)
    if (http::iequals(h.name, name)) return h.value;
  return {};
}

bool header_list::contains(std::string_view name) const {
  for (const header_field& h : *this)
    if (http::iequals(h.name, name)) return true;
  return false;
}

}  // namespace cogi
