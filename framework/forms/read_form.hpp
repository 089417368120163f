#pragma once
// Reading a form (form_data.hpp) into a model: each described field from the form's
// values of its name. Text fields are read as query parameters are (numbers, bools,
// enums, timestamps, strings), a std::vector from every value of its name, a
// cogi::upload from the file part of its name (a std::vector<upload> from all of them),
// and the field's rules are checked. Problems are located under "body", as FastAPI's.
// Nested models and maps have no form encoding: they do not compile here.

#include <string_view>
#include <tuple>
#include <vector>
#include <type_traits>

#include "cogi/framework/forms/form_data.hpp"
#include "cogi/framework/forms/upload.hpp"
#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/read.hpp"
#include "cogi/framework/models/validation_errors.hpp"

namespace cogi {

// Whether the model has a file field (its form is then multipart/form-data).
template <class T>
constexpr bool has_upload_fields() {
  if constexpr (models::model<T>) {
    using fields = std::remove_cvref_t<decltype(models::fields_of<T>())>;
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (models::extra_type<typename std::tuple_element_t<I, fields>::member_type>() || ...);
    }(std::make_index_sequence<std::tuple_size_v<fields>>{});
  } else {
    return false;
  }
}

namespace detail {

template <class T>
struct is_upload_list : std::false_type {};
template <class A>
struct is_upload_list<std::vector<upload, A>> : std::true_type {};

void expected_file(models::validation_errors& errors, const models::location& where);
void expected_text(models::validation_errors& errors, const models::location& where);

// Per member type, as models' JSON fields are (models/read.hpp).
template <class Member>
void read_form_field(const form_data& form, Member& value, std::string_view name, const models::field_rules& rules,
                     const models::location& where, models::validation_errors& errors) {
  const models::location at = where.field(name);
  using inner = typename models::detail::unwrap_optional<Member>::type;
  const bool absent_ok = models::is_optional<Member>::value || rules.has_default;
  if constexpr (std::is_same_v<inner, upload>) {
    if (const upload* file = form.file(name)) {
      value = *file;
    } else if (form.get(name)) {
      expected_file(errors, at);
    } else if (!absent_ok) {
      errors.add(at, "missing", "Field required");
    }
  } else if constexpr (is_upload_list<inner>::value) {
    value = form.files(name);
    if (value.empty() && form.get(name)) expected_file(errors, at);
    else if (value.empty() && !absent_ok) errors.add(at, "missing", "Field required");
  } else if constexpr (models::is_vector<inner>::value) {
    const auto texts = form.get_all(name);
    if (texts.empty() && !absent_ok) {
      errors.add(at, "missing", "Field required");
      return;
    }
    if (texts.empty()) return;
    auto& items = [&]() -> inner& {
      if constexpr (models::is_optional<Member>::value) {
        return value.emplace();
      } else {
        return value;
      }
    }();
    items.resize(texts.size());
    const std::size_t before = errors.size();
    for (std::size_t i = 0; i < texts.size(); ++i) models::read_text(texts[i], items[i], at.item(i), errors);
    if (errors.size() == before) models::check_rules(value, rules, at, errors);
  } else {
    static_assert(!models::model<inner> && !models::is_string_map<inner>::value,
                  "cogi::form<T>: a form's fields are text, numbers, bools, enums, timestamps, uploads, or "
                  "std::optional/std::vector of them (nested models and maps have no form encoding)");
    const auto text = form.get(name);
    if (!text) {
      if (form.file(name)) {
        expected_text(errors, at);
      } else if (!absent_ok) {
        errors.add(at, "missing", "Field required");
      }
      return;
    }
    const std::size_t before = errors.size();
    models::read_text(*text, value, at, errors);
    if (errors.size() == before) models::check_rules(value, rules, at, errors);
  }
}

}  // namespace detail

template <class T>
void read_form(const form_data& form, T& out, const models::location& where, models::validation_errors& errors) {
  static_assert(models::model<T>, "cogi::form<T>: T is a model described with COGI_MODEL");
  std::apply([&](const auto&... f) { (detail::read_form_field(form, out.*f.member, f.name(), f.rules(), where, errors), ...); },
             models::fields_of<T>());
}

}  // namespace cogi
