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

object_schema::object_schema(const std::string& title) : text_("{\"type\":\"object\",\"title\":") {
  append_json_string(text_, title);
  text_.append(",\"properties\":{");
  properties_start_ = text_.size();
}

void object_schema::add(std::string_view name, const field_rules& rules, bool optional, member_schema_fn schema,
                        std::string_view default_json, schema_registry& registry) {
  text_.push_back(',');
  append_json_string(text_, name);
  text_.push_back(':');
  std::string property;
  schema(property, registry, &rules);
  // Words for people, and the default the struct itself gives.
  property.pop_back();
  if (!rules.description.empty()) {
    property.append(",\"description\":");
    append_json_string(property, rules.description);
  }
  if (!default_json.empty()) property.append(",\"default\":").append(default_json);
  property.push_back('}');
  if (property.size() > 2 && property[1] == ',') property.erase(1, 1);
  text_.append(property);
  if (!optional && !rules.has_default) required_.push_back(name);
}

std::string object_schema::finish() {
  if (text_.size() > properties_start_) text_.erase(properties_start_, 1);  // the first property's comma
  text_.push_back('}');
  if (!required_.empty()) {
    text_.append(",\"required\":[");
    for (std::size_t i = 0; i < required_.size(); ++i) {
      if (i > 0) text_.push_back(',');
      append_json_string(text_, required_[i]);
    }
    text_.push_back(']');
  }
  text_.push_back('}');
  return std::move(text_);
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
