#include "cogi/framework/models/rules.hpp"

#include <charconv>
#include <stdexcept>

// libstdc++ 12's <regex> trips GCC's -Wmaybe-uninitialized under the sanitizers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace cogi::models {

struct compiled_pattern {
  std::regex regex;
};

bool pattern_found(const compiled_pattern& pattern, const std::string& text) {
  return std::regex_search(text, pattern.regex);
}

std::string number_bound::text() const {
  if (integral) return std::to_string(integer);
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

void rules::pattern::apply(field_rules& r) const {
  r.pattern = std::string(regex);
  try {
    r.compiled = std::make_shared<const compiled_pattern>(compiled_pattern{std::regex(r.pattern, std::regex::ECMAScript)});
  } catch (const std::regex_error& e) {
    // A model is described when first used: say which pattern, not just "regex_error".
    throw std::invalid_argument("COGI_MODEL: invalid pattern '" + r.pattern + "': " + e.what());
  }
}

}  // namespace cogi::models
