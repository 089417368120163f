#include "cogi/framework/path_pattern.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace cogi {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

param_type parse_type(std::string_view name, std::string_view pattern) {
  if (name == "str") return param_type::str;
  if (name == "int") return param_type::int_;
  if (name == "float") return param_type::float_;
  if (name == "uuid") return param_type::uuid;
  if (name == "path") return param_type::path;
  throw std::invalid_argument("unknown parameter type '" + std::string(name) + "' in route " + std::string(pattern));
}

// Appends a parameter value percent-encoded where a path segment needs it (RFC 3986
// §3.3: pchar); a path parameter keeps its slashes.
void append_encoded(std::string& out, std::string_view value, bool keep_slashes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos ||
                       (keep_slashes && c == '/');
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
}

}  // namespace

bool matches_type(param_type type, std::string_view value) {
  switch (type) {
    case param_type::str:
      return !value.empty() && value.find('/') == std::string_view::npos;
    case param_type::int_: {
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      return all_digits(value) && ec == std::errc{} && end == value.data() + value.size();
    }
    case param_type::float_: {
      const auto dot = value.find('.');
      if (dot == std::string_view::npos) return all_digits(value);
      return all_digits(value.substr(0, dot)) && all_digits(value.substr(dot + 1));
    }
    case param_type::uuid:
      return value.size() == 36 && value[8] == '-' && value[13] == '-' && value[18] == '-' && value[23] == '-' &&
             all_hex(value.substr(0, 8)) && all_hex(value.substr(9, 4)) && all_hex(value.substr(14, 4)) &&
             all_hex(value.substr(19, 4)) && all_hex(value.substr(24));
    case param_type::path:
      return true;
  }
  return false;
}

path_pattern::path_pattern(std::string_view pattern) : text_(pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route must start with '/': " + std::string(pattern));
  if (pattern == "/") return;  // the root: no segments
  std::string_view rest = pattern.substr(1);
  for (;;) {
    const auto slash = rest.find('/');
    const auto text = rest.substr(0, slash);
    path_segment segment;
    const auto open = text.find('{');
    if (open == std::string_view::npos && text.find('}') == std::string_view::npos) {
      segment.literal = std::string(text);
    } else {
      if (open != 0 || text.back() != '}')
        throw std::invalid_argument("a parameter must be a whole segment in route " + std::string(pattern));
      const auto inner = text.substr(1, text.size() - 2);
      const auto colon = inner.find(':');
      segment.is_param = true;
      segment.name = std::string(inner.substr(0, colon));
      if (colon != std::string_view::npos) segment.type = parse_type(inner.substr(colon + 1), pattern);
      if (segment.name.empty()) throw std::invalid_argument("unnamed parameter in route " + std::string(pattern));
      if (std::find(param_names_.begin(), param_names_.end(), segment.name) != param_names_.end())
        throw std::invalid_argument("parameter '" + segment.name + "' repeated in route " + std::string(pattern));
      param_names_.push_back(segment.name);
    }
    const bool last = slash == std::string_view::npos;
    if (segment.is_param && segment.type == param_type::path && !last)
      throw std::invalid_argument("a path parameter must be the last segment in route " + std::string(pattern));
    segments_.push_back(std::move(segment));
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
}

std::string path_pattern::build(std::span<const std::pair<std::string_view, std::string_view>> params) const {
  for (const auto& [name, value] : params)
    if (std::find(param_names_.begin(), param_names_.end(), name) == param_names_.end())
      throw std::invalid_argument("route " + text_ + " has no parameter '" + std::string(name) + "'");
  if (segments_.empty()) return "/";
  std::string out;
  for (const auto& segment : segments_) {
    out += '/';
    if (!segment.is_param) {
      out += segment.literal;
      continue;
    }
    const auto found = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == segment.name; });
    if (found == params.end())
      throw std::invalid_argument("route " + text_ + " needs parameter '" + segment.name + "'");
    if (!matches_type(segment.type, found->second))
      throw std::invalid_argument("'" + std::string(found->second) + "' is not a valid " + segment.name + " for route " + text_);
    append_encoded(out, found->second, segment.type == param_type::path);
  }
  return out;
}

}  // namespace cogi
