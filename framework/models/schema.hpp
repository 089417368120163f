#pragma once
// JSON Schema (2020-12, as OpenAPI 3.1 uses it) for the types models are made of:
// what /openapi.json says about bodies, parameters and results. A model becomes a named
// component ("#/components/schemas/note_in") written once, with its fields' rules
// (minLength, maximum, pattern, ...), descriptions and defaults; a described enum, a
// component listing its names; a std::optional, the type or null.
//
//   cogi::models::schema_registry components;
//   std::string schema;
//   cogi::models::append_schema<std::vector<note_in>>(schema, components);
//   // {"type":"array","items":{"$ref":"#/components/schemas/note_in"}}

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/write.hpp"

namespace cogi::models {

// The named schemas a document refers to, in the order they were first met.
class schema_registry {
 public:
  bool contains(std::string_view name) const;
  // Reserves `name` before its schema is written (a model may refer to itself).
  void reserve(std::string name);
  void set(std::string_view name, std::string schema);
  const std::vector<std::pair<std::string, std::string>>& components() const { return components_; }

 private:
  std::vector<std::pair<std::string, std::string>> components_;
};

// A schema writer for one type, as operations keep them (typed/operation.hpp).
using schema_fn = void (*)(std::string& out, schema_registry& registry);

template <class T>
void append_schema(std::string& out, schema_registry& registry, const field_rules* rules = nullptr);

namespace detail {

enum class rules_for { string, array, number, other };
// The rules' keywords, each written as ",\"key\":value".
void append_rule_keywords(std::string& out, const field_rules& rules, rules_for kind);
void append_ref(std::string& out, std::string_view name);
// ",\"minimum\":min,\"maximum\":max" for an integer type narrower than 64 bits, and its format.
void append_integer_keywords(std::string& out, std::int64_t min, std::uint64_t max, int bits, bool is_signed);

template <class T>
constexpr rules_for rules_kind() {
  if constexpr (std::is_same_v<T, std::string>) {
    return rules_for::string;
  } else if constexpr (is_vector<T>::value) {
    return rules_for::array;
  } else if constexpr (is_integer_v<T> || std::is_floating_point_v<T>) {
    return rules_for::number;
  } else {
    return rules_for::other;
  }
}

template <described_enum E>
void register_enum(schema_registry& registry, const std::string& name) {
  if (registry.contains(name)) return;
  registry.reserve(name);
  std::string schema = "{\"type\":\"string\",\"title\":";
  append_json_string(schema, name);
  schema.append(",\"enum\":[");
  bool first = true;
  for (const auto& v : values_of<E>()) {
    if (!first) schema.push_back(',');
    first = false;
    append_json_string(schema, v.name);
  }
  schema.append("]}");
  registry.set(name, std::move(schema));
}

// A model's schema, written a property at a time. Not a template: what is the same for
// every model is compiled once (schema.cpp).
class object_schema {
 public:
  using member_schema_fn = void (*)(std::string& out, schema_registry& registry, const field_rules* rules);

  explicit object_schema(const std::string& title);
  // A property: its type's schema (with the field's rules), its description, and the
  // default the struct gives (JSON text; empty when the field has none).
  void add(std::string_view name, const field_rules& rules, bool optional, member_schema_fn schema,
           std::string_view default_json, schema_registry& registry);
  std::string finish();

 private:
  std::string text_;
  std::size_t properties_start_;
  std::vector<std::string_view> required_;
};

// Per member type, as the reader's fields are: models whose fields share types share it.
template <class Member>
void add_property(object_schema& schema, schema_registry& registry, std::string_view name, const field_rules& rules,
                  [[maybe_unused]] const Member& fallback) {
  std::string default_json;
  if constexpr (supported_type<Member>()) {  // an extra type (an upload) has no JSON default
    if (rules.has_default) write(default_json, fallback);
  }
  schema.add(name, rules, is_optional<Member>::value, &append_schema<Member>, default_json, registry);
}

template <model T>
void register_model(schema_registry& registry, const std::string& name) {
  if (registry.contains(name)) return;
  registry.reserve(name);
  object_schema schema(name);
  const T fresh{};  // what the struct gives a field it is not told: the documented default
  std::apply([&](const auto&... f) { (add_property(schema, registry, f.name(), f.rules(), fresh.*f.member), ...); },
             fields_of<T>());
  registry.set(name, schema.finish());
}

}  // namespace detail

template <class T>
void append_schema(std::string& out, schema_registry& registry, const field_rules* rules) {
  const std::size_t start = out.size();
  out.push_back('{');
  if constexpr (is_optional<T>::value) {
    out.append(",\"anyOf\":[");
    append_schema<typename T::value_type>(out, registry, rules);
    out.append(",{\"type\":\"null\"}]");
    rules = nullptr;  // applied to the value
  } else if constexpr (std::is_same_v<T, picojson::value>) {
    // any JSON
  } else if constexpr (std::is_same_v<T, bool>) {
    out.append(",\"type\":\"boolean\"");
  } else if constexpr (is_integer_v<T>) {
    out.append(",\"type\":\"integer\"");
    detail::append_integer_keywords(out, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                    static_cast<std::uint64_t>(std::numeric_limits<T>::max()),
                                    static_cast<int>(sizeof(T) * 8), std::is_signed_v<T>);
  } else if constexpr (std::is_floating_point_v<T>) {
    out.append(sizeof(T) == sizeof(float) ? ",\"type\":\"number\",\"format\":\"float\""
                                          : ",\"type\":\"number\",\"format\":\"double\"");
  } else if constexpr (std::is_same_v<T, std::string>) {
    out.append(",\"type\":\"string\"");
  } else if constexpr (is_timestamp<T>::value) {
    out.append(is_date_v<T> ? ",\"type\":\"string\",\"format\":\"date\"" : ",\"type\":\"string\",\"format\":\"date-time\"");
  } else if constexpr (is_vector<T>::value) {
    out.append(",\"type\":\"array\",\"items\":");
    append_schema<typename T::value_type>(out, registry);
  } else if constexpr (is_string_map<T>::value) {
    out.append(",\"type\":\"object\",\"additionalProperties\":");
    append_schema<typename T::mapped_type>(out, registry);
  } else if constexpr (described_enum<T>) {
    const std::string name = detail::schema_name(cogi_enum_name(tag<T>{}));
    detail::register_enum<T>(registry, name);
    detail::append_ref(out, name);
  } else if constexpr (model<T>) {
    const std::string name = detail::schema_name(name_of<T>());
    detail::register_model<T>(registry, name);
    detail::append_ref(out, name);
  } else if constexpr (extra_field_type<T>::value) {
    extra_field_type<T>::append_schema(out);
  } else {
    static_assert(supported_type<T>(), "cogi::models::append_schema: unsupported type");
  }
  if (rules) detail::append_rule_keywords(out, *rules, detail::rules_kind<T>());
  if (out.size() > start + 1 && out[start + 1] == ',') out.erase(start + 1, 1);
  out.push_back('}');
}

// The schema writer for T (a plain function an operation can keep).
template <class T>
void write_schema(std::string& out, schema_registry& registry) {
  append_schema<T>(out, registry);
}

}  // namespace cogi::models
