#pragma once
// Writing described models (and the other supported types, describe.hpp) as compact
// JSON, straight into the output string: no picojson::value is built on the way, and
// each field's key was escaped once, when the model was described.
//
//   std::string body;
//   cogi::models::write(body, note);   // {"title":"...","body":null,"tags":[],"priority":3}
//
// An empty std::optional is written as null (FastAPI does the same); an enum value that
// was not described is written as its number.

#include <chrono>
#include <string>
#include <tuple>
#include <type_traits>

#include <picojson.h>

#include "cogi/framework/json_writer.hpp"
#include "cogi/server/contract/json_string.hpp"
#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/timestamp.hpp"

namespace cogi::models {
namespace detail {

// Digits of fraction a timestamp of duration D can carry (0 for seconds, 3 for
// milliseconds, ...).
template <class D>
constexpr int fraction_digits() {
  int digits = 0;
  for (auto den = D::period::den / D::period::num; den > 1 && digits < 9; den /= 10) ++digits;
  return digits;
}

}  // namespace detail

template <class T>
void write(std::string& out, const T& value) {
  if constexpr (std::is_same_v<T, picojson::value>) {
    append_json(out, value);
  } else if constexpr (is_optional<T>::value) {
    if (value) {
      write(out, *value);
    } else {
      out.append("null");
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    out.append(value ? "true" : "false");
  } else if constexpr (is_integer_v<T>) {
    if constexpr (std::is_signed_v<T>) {
      append_json_integer(out, value);
    } else {
      append_json_unsigned(out, value);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    append_json_double(out, static_cast<double>(value));
  } else if constexpr (std::is_same_v<T, std::string>) {
    append_json_string(out, value);
  } else if constexpr (described_enum<T>) {
    for (const auto& v : values_of<T>()) {
      if (v.value == value) {
        append_json_string(out, v.name);
        return;
      }
    }
    append_json_integer(out, static_cast<std::int64_t>(value));
  } else if constexpr (is_timestamp<T>::value) {
    out.push_back('"');
    if constexpr (is_date_v<T>) {
      append_date(out, value);
    } else {
      const auto whole = std::chrono::floor<std::chrono::seconds>(value);
      append_date_time(out, date_time{whole, std::chrono::duration_cast<std::chrono::nanoseconds>(value - whole)},
                       detail::fraction_digits<typename T::duration>());
    }
    out.push_back('"');
  } else if constexpr (is_vector<T>::value) {
    out.push_back('[');
    bool first = true;
    for (const auto& item : value) {
      if (!first) out.push_back(',');
      first = false;
      write(out, item);
    }
    out.push_back(']');
  } else if constexpr (is_string_map<T>::value) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, item] : value) {
      if (!first) out.push_back(',');
      first = false;
      append_json_string(out, key);
      out.push_back(':');
      write(out, item);
    }
    out.push_back('}');
  } else if constexpr (model<T>) {
    out.push_back('{');
    bool first = true;
    std::apply(
        [&](const auto&... f) {
          ((out.append(first ? std::string_view() : std::string_view(",")), first = false, out.append(f.json_key()),
            write(out, value.*f.member)),
           ...);
        },
        fields_of<T>());
    out.push_back('}');
  } else {
    static_assert(supported_type<T>(), "cogi::models::write: this type cannot be written as JSON (see describe.hpp)");
  }
}

}  // namespace cogi::models
