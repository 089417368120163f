#pragma once
// Describing a plain struct once, so that cogi can read it from JSON (collecting every
// problem), write it to JSON and document it in the API schema:
//
//   struct note_in {
//     std::string title;
//     std::optional<std::string> body;
//     std::vector<std::string> tags;
//     int priority = 3;
//   };
//   COGI_MODEL(note_in, (title, min_length(1), max_length(200)), body, tags, (priority, defaulted, ge(1), le(5)));
//
//   enum class color { red, green, blue };
//   COGI_ENUM(color, red, green, blue);     // read and written as "red", "green", "blue"
//
// COGI_MODEL names the type, then each field: a member's name, or in parentheses the
// name followed by its rules (rules.hpp). Fields left out are neither read nor written.
// Write it next to the struct, in the struct's namespace (cogi finds the description
// through the type); the struct stays a plain aggregate. The model's name in the API
// schema is the type's name as written.
//
// Field types: bool, integers (their range is checked), float and double, std::string,
// described enums, timestamps (std::chrono::sys_time<D>: RFC 3339 date-times; sys_days:
// dates), other models, std::optional<T>, std::vector<T>, std::map<std::string, T>, and
// picojson::value for JSON of any shape.

#include <array>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <picojson.h>

#include "cogi/server/contract/detail/preprocessor.hpp"
#include "cogi/framework/models/rules.hpp"

namespace cogi::models {

// What descriptions are found by: argument-dependent lookup on tag<T> searches T's
// namespace.
template <class T>
struct tag {};

// What a field's description holds besides its member: made once per program, when its
// model is first used, and the same type for every field of every model, so that what
// handles it is compiled once (describe.cpp).
struct field_info {
  explicit field_info(std::string_view member_name);
  ~field_info();
  std::string_view name;  // the JSON name: the alias, or the member's name
  field_rules rules;
  std::string json_key;  // "\"name\":", escaped once for the writer
};

// One described field of Model: its member and the rest (field_info). Cheap to move.
template <class Model, class Member>
struct field {
  using member_type = Member;
  Member Model::*member;
  std::unique_ptr<const field_info> info;

  std::string_view name() const { return info->name; }
  const field_rules& rules() const { return info->rules; }
  std::string_view json_key() const { return info->json_key; }
};

// One value of a described enum and its JSON name.
template <class Enum>
struct enum_value {
  std::string_view name;
  Enum value;
};

template <class T>
concept model = std::is_class_v<T> && requires { cogi_model_fields(tag<T>{}); };

template <class T>
concept described_enum = std::is_enum_v<T> && requires { cogi_enum_values(tag<T>{}); };

// The fields of a model, described once per program (on first use).
template <model T>
const auto& fields_of() {
  static const auto fields = cogi_model_fields(tag<T>{});
  return fields;
}

// The model's name as COGI_MODEL was given it ("note_in", "api::note_in").
template <model T>
constexpr std::string_view name_of() {
  return cogi_model_name(tag<T>{});
}

// Every value of a described enum, in the order described.
template <described_enum E>
constexpr auto values_of() {
  return cogi_enum_values(tag<E>{});
}

// --- type families, shared by the reader, the writer and the schema ---

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T>
struct is_timestamp : std::false_type {};
template <class D>
struct is_timestamp<std::chrono::time_point<std::chrono::system_clock, D>> : std::true_type {};

template <class T>
inline constexpr bool is_date_v = std::is_same_v<T, std::chrono::sys_days>;

template <class T>
inline constexpr bool is_integer_v = std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                     !std::is_same_v<T, char> && !std::is_same_v<T, char8_t> &&
                                     !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t> &&
                                     !std::is_same_v<T, wchar_t>;

// Field types beyond JSON's, taught to models by the part of the framework that reads
// them: cogi::upload for forms (forms/upload.hpp). Such a type gives its schema:
//   template <> struct extra_field_type<X> : std::true_type {
//     static void append_schema(std::string& out);   // ",\"type\":...", members only
//   };
template <class T>
struct extra_field_type : std::false_type {};

// Whether cogi can read and write T as JSON.
template <class T>
constexpr bool supported_type() {
  if constexpr (is_optional<T>::value || is_vector<T>::value) {
    return supported_type<typename T::value_type>();
  } else if constexpr (is_string_map<T>::value) {
    return supported_type<typename T::mapped_type>();
  } else {
    return std::is_same_v<T, bool> || is_integer_v<T> || std::is_floating_point_v<T> ||
           std::is_same_v<T, std::string> || std::is_same_v<T, picojson::value> || is_timestamp<T>::value ||
           described_enum<T> || model<T>;
  }
}

// Whether T is, or holds (in an optional or a vector), an extra field type.
template <class T>
constexpr bool extra_type() {
  if constexpr (is_optional<T>::value || is_vector<T>::value) {
    return extra_type<typename T::value_type>();
  } else {
    return extra_field_type<T>::value;
  }
}

namespace detail {

template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
};

template <class Member, class Rule>
constexpr void check_rule() {
  using value_type = typename unwrap_optional<Member>::type;
  if constexpr (Rule::target == rule_target::sized) {
    static_assert(std::is_same_v<value_type, std::string> || is_vector<value_type>::value,
                  "min_length/max_length apply to strings and vectors");
  } else if constexpr (Rule::target == rule_target::number) {
    static_assert(is_integer_v<value_type> || std::is_floating_point_v<value_type>,
                  "ge/gt/le/lt apply to numbers");
  } else if constexpr (Rule::target == rule_target::string) {
    static_assert(std::is_same_v<value_type, std::string>, "pattern applies to strings");
  }
}

// A field's name (its alias, if its rules give one) and JSON key, once its rules are in.
void finish_field(field_info& info);

template <class Model, class Member, class... Rules>
field<Model, Member> make_field(std::string_view member_name, Member Model::*member, const Rules&... rules) {
  static_assert(supported_type<Member>() || extra_type<Member>(),
                "COGI_MODEL: this field's type cannot be read from JSON; use bool, numbers, std::string, "
                "described enums (COGI_ENUM), timestamps, other models, or std::optional/std::vector/std::map "
                "of them");
  (check_rule<Member, Rules>(), ...);
  auto info = std::make_unique<field_info>(member_name);
  (rules.apply(info->rules), ...);
  finish_field(*info);
  return field<Model, Member>{member, std::move(info)};
}

// "api::note_in" -> "api.note_in": schema names allow letters, digits, '.', '-', '_'.
std::string schema_name(std::string_view type_name);

}  // namespace detail
}  // namespace cogi::models

#define COGI_MODEL_FIELD(x) COGI_PP_CAT(COGI_MODEL_FIELD_, COGI_PP_IS_PAREN(x))(x)
#define COGI_MODEL_FIELD_0(name) ::cogi::models::detail::make_field(#name, &cogi_model_type_::name)
#define COGI_MODEL_FIELD_1(spec) COGI_MODEL_FIELD_WITH_RULES spec
#define COGI_MODEL_FIELD_WITH_RULES(name, ...) \
  ::cogi::models::detail::make_field(#name, &cogi_model_type_::name __VA_OPT__(, ) __VA_ARGS__)

// Describes the struct `type`: COGI_MODEL(type, field, (field, rules...), ...).
#define COGI_MODEL(type, ...)                                                      \
  [[maybe_unused]] inline auto cogi_model_fields(::cogi::models::tag<type>) {      \
    using cogi_model_type_ = type;                                                 \
    using namespace ::cogi::models::rules;                                         \
    return ::std::make_tuple(COGI_PP_FOR_EACH(COGI_MODEL_FIELD, __VA_ARGS__));     \
  }                                                                                \
  [[maybe_unused]] constexpr ::std::string_view cogi_model_name(::cogi::models::tag<type>) { return #type; } \
  static_assert(true, "COGI_MODEL ends with a declaration so that it takes a semicolon")

#define COGI_ENUM_VALUE(name) ::cogi::models::enum_value<cogi_enum_type_>{#name, cogi_enum_type_::name}

// Describes the enum `type` by its values' names: COGI_ENUM(type, value, ...).
#define COGI_ENUM(type, ...)                                                                 \
  [[maybe_unused]] constexpr auto cogi_enum_values(::cogi::models::tag<type>) {              \
    using cogi_enum_type_ = type;                                                            \
    return ::std::array{COGI_PP_FOR_EACH(COGI_ENUM_VALUE, __VA_ARGS__)};                     \
  }                                                                                          \
  [[maybe_unused]] constexpr ::std::string_view cogi_enum_name(::cogi::models::tag<type>) { return #type; } \
  static_assert(true, "COGI_ENUM ends with a declaration so that it takes a semicolon")
