// Percent-decoding of paths and application/x-www-form-urlencoded parsing (query
// strings, form bodies). Properties: decoding never grows the text, leaves text without
// '%' untouched (no copy), and undoes percent-encoding exactly; parsed pairs point into
// the input or into the parser's own storage, and every key can be looked up.

#include <string>

#include "cogi/framework/url_encoded.hpp"
#include "cogi/server/http/percent.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using namespace cogi;
using cogi::fuzz::check;

namespace {

std::string percent_encode(std::string_view text) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out.push_back('%');
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xf]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  std::string storage;
  const std::string_view decoded = http::percent_decode(raw, storage);
  check(decoded.size() <= raw.size(), "decoding never grows the text");
  if (raw.find('%') == std::string_view::npos) check(decoded.data() == raw.data(), "no '%': the input itself");

  std::string round_trip_storage;
  const std::string encoded = percent_encode(raw);
  check(http::percent_decode(encoded, round_trip_storage) == raw, "decoding undoes encoding");

  const url_encoded pairs(raw);
  std::size_t ampersands = 0;
  for (char c : raw) ampersands += c == '&';
  check(pairs.size() <= ampersands + 1, "at most one pair per '&'-separated part");
  for (const auto& [key, value] : pairs.items()) {
    check(pairs.get(key).has_value(), "every key is found");
    check(!pairs.get_all(key).empty(), "every key has values");
    (void)value;
  }
  return 0;
}
