#include "cogi/framework/byte_range.hpp"

#include <charconv>
#include <optional>
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

byte_range parse_byte_range(std::string_view header, std::uint64_t size) {
  byte_range whole;
  header = http::trim_ows(header);
  if (!header.starts_with("bytes=")) return whole;
  const std::string_view spec = http::trim_ows(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const auto first_text = http::trim_ows(spec.substr(0, dash)), last_text = http::trim_ows(spec.substr(dash + 1));

  byte_range out;
  out.result = byte_range::kind::partial;
  if (first_text.empty()) {  // a suffix: the last N bytes
    const auto suffix = number(last_text);
    if (!suffix) return whole;
    if (*suffix == 0 || size == 0) return {byte_range::kind::unsatisfiable};
    out.first = *suffix >= size ? 0 : size - *suffix;
    out.last = size - 1;
    return out;
  }
  const auto first = number(first_text);
  if (!first) return whole;
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    const auto asked = number(last_text);
    if (!asked || *asked < *first) return whole;  // invalid: ignore the header
    if (*asked < last) last = *asked;
  }
  if (*first >= size) return {byte_range::kind::unsatisfiable};
  out.first = *first;
  out.last = last;
  return out;
}

}  // namespace cogi
