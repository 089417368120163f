#include "cogi/framework/models/schema.hpp"

#include <algorithm>

#include "cogi/framework/json_writer.hpp"
#include "cogi/server/contract/json_string.hpp"

namespace cogi::models {

bool schema_registry::contains(std::string_view name) const {
  return std::any_of(components_.begin(), components_.end(), [&](const auto& c) { return c.first == name; });
}

void schema_registry::reserve(std::string name) { components_.emplace_back(std::move(name), "{}"); }

void schema_registry::set(std::string_view name, std::string schema) {
  for (auto& c : components_) {
    if (c.first == name) {
      c.second = std::move(schema);
      return;
    }
  }
  components_.emplace_back(std::string(name), std::move(schema));
}

namespace detail {
namespace {

void append_bound(std::string& out, std::string_view key, const number_bound& bound) {
  out.append(",\"").append(key).append("\":");
  if (bound.integral) {
    append_json_integer(out, bound.integer);
  } else {
    append_json_double(out, bound.value);
  }
}

}  // namespace

void append_rule_keywords(std::string& out, const field_rules& rules, rules_for kind) {
  if (kind == rules_for::string || kind == rules_for::array) {
    const std::string_view min_key = kind == rules_for::string ? "minLength" : "minItems";
    const std::string_view max_key = kind == rules_for::string ? "maxLength" : "maxItems";
    if (rules.min_length) {
      out.append(",\"").append(min_key).append("\":");
      append_json_unsigned(out, *rules.min_length);
    }
    if (rules.max_length) {
      out.append(",\"").append(max_key).append("\":");
      append_json_unsigned(out, *rules.max_length);
    }
  }
  if (kind == rules_for::string && !rules.pattern.empty()) {
    out.append(",\"pattern\":");
    append_json_string(out, rules.pattern);
  }
  if (kind == rules_for::number) {
    if (rules.ge) append_bound(out, "minimum", *rules.ge);
    if (rules.gt) append_bound(out, "exclusiveMinimum", *rules.gt);
    if (rules.le) append_bound(out, "maximum", *rules.le);
    if (rules.lt) append_bound(out, "exclusiveMaximum", *rules.lt);
  }
}

void append_ref(std::string& out, std::string_view name) {
  out.append(",\"$ref\":");
  append_json_string(out, "#/components/schemas/" + std::string(name));
}

void append_integer_keywords(std::string& out, std::int64_t min, std::uint64_t max, int bits, bool is_signed) {
  out.append(bits > 32 ? ",\"format\":\"int64\"" : ",\"format\":\"int32\"");
  // int32 and int64 say their range by their format; narrower and unsigned types do not.
  if (bits < 32 || !is_signed) {
    out.append(",\"minimum\":");
    append_json_integer(out, min);
    if (bits < 64) {
      out.append(",\"maximum\":");
      append_json_unsigned(out, max);
    }
  }
}

}  // namespace detail
}  // namespace cogi::models
