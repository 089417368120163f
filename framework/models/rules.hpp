#pragma once
// The constraints a model's field can carry, written after its name in COGI_MODEL:
//
//   COGI_MODEL(note_in,
//              (title, min_length(1), max_length(200)),
//              (priority, defaulted, ge(1), le(5)),
//              (email, pattern("^[^@ ]+@[^@ ]+$")),
//              (created_at, alias("createdAt")),
//              tags);
//
// Each rule says what it applies to, and a rule on the wrong kind of field does not
// compile: lengths fit strings (counted in characters, as pydantic does) and vectors
// (in items); bounds fit numbers; a pattern fits strings. On a std::optional field
// they apply to the value when there is one. Rules can come in any order.
//
// A field is required unless it is a std::optional (absent or null: empty) or marked
// `defaulted`: then an absent field keeps the value the struct's own default member
// initializer gives it (`int priority = 3;`), which the API schema reports as well.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace cogi::models {

// A numeric bound, exact for integers.
struct number_bound {
  double value = 0;
  std::int64_t integer = 0;
  bool integral = false;

  template <class N>
    requires std::is_arithmetic_v<N> && (!std::is_same_v<N, bool>)
  static constexpr number_bound of(N n) {
    if constexpr (std::is_integral_v<N>) {
      return {static_cast<double>(n), static_cast<std::int64_t>(n), true};
    } else {
      return {static_cast<double>(n), 0, false};
    }
  }
  // As written in messages and schemas: "5", "0.5".
  std::string text() const;
};

// A compiled pattern (std::regex, kept out of this header: it is slow to compile and
// GCC 12 warns inside it); rules.cpp has it.
struct compiled_pattern;
// Whether `text` contains a match of `pattern`.
bool pattern_found(const compiled_pattern& pattern, const std::string& text);

// Everything the rules of one field say, gathered.
struct field_rules {
  std::optional<std::size_t> min_length, max_length;
  std::optional<number_bound> ge, gt, le, lt;
  std::string pattern;                              // ECMAScript syntax, searched for
  std::shared_ptr<const compiled_pattern> compiled;
  bool has_default = false;
  std::string_view alias;        // the name in JSON, when it is not the member's
  std::string_view description;  // for the API documentation
};

// What kind of field a rule fits (checked when the model is described).
enum class rule_target { any, sized, number, string };

namespace rules {

struct min_length {
  static constexpr rule_target target = rule_target::sized;
  constexpr explicit min_length(std::size_t n) : value(n) {}
  std::size_t value;
  void apply(field_rules& r) const { r.min_length = value; }
};
struct max_length {
  static constexpr rule_target target = rule_target::sized;
  constexpr explicit max_length(std::size_t n) : value(n) {}
  std::size_t value;
  void apply(field_rules& r) const { r.max_length = value; }
};

// value >= n, value > n, value <= n, value < n (pydantic's ge, gt, le, lt).
#define COGI_MODELS_BOUND_RULE(rule_name)                                              \
  struct rule_name {                                                                   \
    static constexpr rule_target target = rule_target::number;                         \
    number_bound bound;                                                                \
    template <class N>                                                                 \
    constexpr explicit rule_name(N n) : bound(number_bound::of(n)) {}                  \
    void apply(field_rules& r) const { r.rule_name = bound; }                          \
  };
COGI_MODELS_BOUND_RULE(ge)
COGI_MODELS_BOUND_RULE(gt)
COGI_MODELS_BOUND_RULE(le)
COGI_MODELS_BOUND_RULE(lt)
#undef COGI_MODELS_BOUND_RULE

// An ECMAScript regular expression the string must contain a match of (anchor it with
// ^...$ for a whole-string match, as in JSON Schema). Compiled once, when the model is
// first used; strings longer than pattern_input_limit are refused before the match
// (std::regex recurses per character).
struct pattern {
  static constexpr rule_target target = rule_target::string;
  constexpr explicit pattern(std::string_view re) : regex(re) {}
  std::string_view regex;
  void apply(field_rules& r) const;
};
inline constexpr std::size_t pattern_input_limit = 4096;

struct alias {
  static constexpr rule_target target = rule_target::any;
  constexpr explicit alias(std::string_view json_name) : name(json_name) {}
  std::string_view name;
  void apply(field_rules& r) const { r.alias = name; }
};

struct description {
  static constexpr rule_target target = rule_target::any;
  constexpr explicit description(std::string_view words) : text(words) {}
  std::string_view text;
  void apply(field_rules& r) const { r.description = text; }
};

struct defaulted_rule {
  static constexpr rule_target target = rule_target::any;
  void apply(field_rules& r) const { r.has_default = true; }
};
inline constexpr defaulted_rule defaulted{};

}  // namespace rules
}  // namespace cogi::models
