#pragma once
// application/x-www-form-urlencoded data: query strings and url-encoded form bodies
// (WHATWG URL §5.1: '&'-separated pairs, '+' is a space, %XX decoded). Repeated keys
// are kept in order, as Starlette's QueryParams and FormData keep them.
//
//   cogi::url_encoded q("tag=a&tag=b&q=caf%C3%A9");
//   std::optional<std::string_view> text = q.get("q");       // "café"
//   std::vector<std::string_view> tags = q.get_all("tag");   // {"a", "b"}

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogi {

class url_encoded {
 public:
  url_encoded() = default;
  // Decodes `raw`. Views of pairs that need no decoding point into `raw`, which must
  // outlive this object (a request's query string and body do).
  explicit url_encoded(std::string_view raw);

  url_encoded(const url_encoded&) = delete;  // views may point into decoded_
  url_encoded& operator=(const url_encoded&) = delete;
  url_encoded(url_encoded&&) = default;      // deque elements do not move
  url_encoded& operator=(url_encoded&&) = default;

  // The first value of `key`, or nullopt.
  std::optional<std::string_view> get(std::string_view key) const;
  // The first value of `key` or `fallback`.
  std::string_view get_or(std::string_view key, std::string_view fallback) const;
  std::vector<std::string_view> get_all(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }

  // Every pair in order.
  const std::vector<std::pair<std::string_view, std::string_view>>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::string_view decode(std::string_view raw);

  std::vector<std::pair<std::string_view, std::string_view>> items_;
  std::deque<std::string> decoded_;  // stable storage for decoded pairs
};

}  // namespace cogi
