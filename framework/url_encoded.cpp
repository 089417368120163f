#include "cogi/framework/url_encoded.hpp"

#include "cogi/server/http/percent.hpp"

namespace cogi {

std::string_view url_encoded::decode(std::string_view raw) {
  if (raw.find_first_of("%+") == std::string_view::npos) return raw;
  std::string spaced(raw);
  for (char& c : spaced)
    if (c == '+') c = ' ';
  std::string out;
  const std::string_view decoded = http::percent_decode(spaced, out);
  decoded_.push_back(decoded.data() == spaced.data() ? std::move(spaced) : std::move(out));
  return decoded_.back();
}

url_encoded::url_encoded(std::string_view raw) {
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const auto pair = raw.substr(0, amp);
    raw.remove_prefix(amp == std::string_view::npos ? raw.size() : amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    const auto eq = pair.find('=');
    const auto key = decode(pair.substr(0, eq));
    const auto value = eq == std::string_view::npos ? std::string_view{} : decode(pair.substr(eq + 1));
    items_.emplace_back(key, value);
  }
}

std::optional<std::string_view> url_encoded::get(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return v;
  return std::nullopt;
}

std::string_view url_encoded::get_or(std::string_view key, std::string_view fallback) const {
  return get(key).value_or(fallback);
}

std::vector<std::string_view> url_encoded::get_all(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : items_)
    if (k == key) values.push_back(v);
  return values;
}

}  // namespace cogi
