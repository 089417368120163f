#pragma once
// The values a route's parameters took in this request's path, by name.
//
//   app.get("/users/{id:int}", show_user);  // in show_user: req.path_params().get<std::int64_t>("id")
//
// Values are views into the request's path. A value the route's type already checked
// converts without fail; asking for a narrower type than fits (an int8_t for "300") is a
// 404, as if the route had not matched.

#include <charconv>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cogi/framework/http_exception.hpp"

namespace cogi {

class path_params {
 public:
  path_params() = default;
  // Views of the route's names and of the values, in the same order: both outlive the
  // request (the values are views into its path).
  path_params(const std::vector<std::string>* names, std::span<const std::string_view> values)
      : names_(names), values_(values) {}

  // The raw value of `name`. Throws std::out_of_range when the route has no such
  // parameter (a programming error: a 500).
  std::string_view get(std::string_view name) const;
  // The value converted to T: an integer or floating-point type, std::string or
  // std::string_view.
  template <class T>
  T get(std::string_view name) const;

  bool contains(std::string_view name) const;
  std::size_t size() const { return values_.size(); }
  std::string_view name(std::size_t i) const { return (*names_)[i]; }
  std::string_view value(std::size_t i) const { return values_[i]; }

 private:
  const std::vector<std::string>* names_ = nullptr;
  std::span<const std::string_view> values_;
};

template <class T>
T path_params::get(std::string_view name) const {
  const std::string_view text = get(name);
  if constexpr (std::is_same_v<T, std::string_view>) {
    return text;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::string(text);
  } else {
    static_assert(std::is_arithmetic_v<T>, "path_params::get<T>: T must be a number or a string type");
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) throw http_exception(404);
    return value;
  }
}

}  // namespace cogi
