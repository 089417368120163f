#include "examples/crawler/links.hpp"

#include <optional>
#include <unordered_set>

#include "cogi/clients/http/errors.hpp"

namespace cogi::examples {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Case-insensitive search for `needle` (lowercase) from `from`.
std::size_t find_ignoring_case(std::string_view haystack, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j) match = lower(haystack[i + j]) == needle[j];
    if (match) return i;
  }
  return std::string_view::npos;
}

std::string decode_references(std::string_view text) {
  static constexpr std::pair<std::string_view, char> references[] = {
      {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}, {"&lt;", '<'}, {"&gt;", '>'}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [name, c] : references) {
        if (text.substr(i, name.size()) == name) {
          out.push_back(c);
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

// The value of the href attribute starting at `at` (just past "href"), or npos.
std::string_view attribute_value(std::string_view html, std::size_t& at) {
  while (at < html.size() && is_space(html[at])) ++at;
  if (at >= html.size() || html[at] != '=') return {};
  ++at;
  while (at < html.size() && is_space(html[at])) ++at;
  if (at >= html.size()) return {};
  const char quote = html[at];
  if (quote == '"' || quote == '\'') {
    const auto end = html.find(quote, at + 1);
    if (end == std::string_view::npos) return {};
    const auto value = html.substr(at + 1, end - at - 1);
    at = end + 1;
    return value;
  }
  const auto start = at;
  while (at < html.size() && !is_space(html[at]) && html[at] != '>') ++at;
  return html.substr(start, at - start);
}

// Whether the "href" at `at` is an attribute name (inside a tag), not text.
bool is_attribute(std::string_view html, std::size_t at) {
  if (at == 0 || !is_space(html[at - 1])) return false;
  const auto open = html.rfind('<', at);
  const auto close = html.rfind('>', at);
  return open != std::string_view::npos && (close == std::string_view::npos || close < open);
}

}  // namespace

std::vector<std::string> extract_links(std::string_view html, const fetch::url& page) {
  fetch::url base = page;
  std::vector<std::string> links;
  std::unordered_set<std::string> seen;
  std::size_t at = 0;
  for (;;) {
    const auto comment = html.find("<!--", at);
    const auto href = find_ignoring_case(html, "href", at);
    if (href == std::string_view::npos) break;
    if (comment != std::string_view::npos && comment < href) {
      const auto end = html.find("-->", comment + 4);
      if (end == std::string_view::npos) break;
      at = end + 3;
      continue;
    }
    at = href + 4;
    if (!is_attribute(html, href)) continue;
    const std::string_view raw = attribute_value(html, at);
    if (raw.empty()) continue;
    const std::string value = decode_references(raw);
    // <base href="..."> changes what later relative links resolve against.
    const auto tag_start = html.rfind('<', href);
    const bool is_base = find_ignoring_case(html.substr(tag_start, href - tag_start), "<base", 0) == 0;
    const auto resolved = [&]() -> std::optional<fetch::url> {
      try {
        return base.resolve(value);
      } catch (const fetch::invalid_url&) {
        return std::nullopt;  // mailto:, javascript:, a broken link
      }
    }();
    if (!resolved) continue;
    if (is_base) {
      base = *resolved;
      continue;
    }
    fetch::url link = *resolved;
    link.fragment.clear();
    std::string text = link.text();
    if (seen.insert(text).second) links.push_back(std::move(text));
  }
  return links;
}

}  // namespace cogi::examples
