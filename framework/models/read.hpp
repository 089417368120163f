#pragma once
// Reading described models (and the other supported types, describe.hpp) from a parsed
// JSON document or, for path, query, header and cookie parameters, from text. Every
// problem is added to a validation_errors with its location; reading goes on past a
// problem, so one answer lists them all. Rules are checked once a value has its type.
//
//   cogi::models::validation_errors errors;
//   note_in note{};
//   cogi::models::read(document, note, cogi::models::location{nullptr, "body"}, errors);
//   if (!errors.empty()) throw cogi::validation_error(std::move(errors));
//
// Most code calls cogi::from_json<T> (model.hpp) or takes a cogi::body<T> parameter.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <picojson.h>

#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/timestamp.hpp"
#include "cogi/framework/models/validation_errors.hpp"

namespace cogi::models {

template <class T>
void read(const picojson::value& json, T& out, const location& where, validation_errors& errors);
template <class T>
void read_text(std::string_view text, T& out, const location& where, validation_errors& errors);
template <class T>
void check_rules(const T& value, const field_rules& rules, const location& where, validation_errors& errors);

// Parses `text` strictly (json_reader.hpp) and reads it into `out`. Malformed JSON is
// one issue, "json_invalid", located at its byte offset under `where`.
void read_json_text(std::string_view text, picojson::value& document, const location& where,
                    validation_errors& errors);

template <class T>
void read_from_text(std::string_view text, T& out, const location& where, validation_errors& errors) {
  picojson::value document;
  const std::size_t before = errors.size();
  read_json_text(text, document, where, errors);
  if (errors.size() == before) read(document, out, where, errors);
}

namespace detail {

// The messages, as pydantic v2 words them.
void wrong_type(validation_errors& errors, const location& where, std::string_view type);
void integer_out_of_range(validation_errors& errors, const location& where, bool too_big, std::int64_t min,
                          std::uint64_t max);
void check_string(const std::string& value, const field_rules& rules, const location& where,
                  validation_errors& errors);
void check_size(std::size_t size, const field_rules& rules, const location& where, validation_errors& errors);
void check_number(double value, std::int64_t integer, bool integral, const field_rules& rules,
                  const location& where, validation_errors& errors);
void bad_enum(validation_errors& errors, const location& where, const std::string* names, std::size_t count);
void bad_date_time(validation_errors& errors, const location& where, std::string_view problem);
std::optional<bool> parse_bool(std::string_view text);

template <class T>
bool store_integer(std::int64_t value, T& out, const location& where, validation_errors& errors) {
  using limits = std::numeric_limits<T>;
  const bool below = std::is_signed_v<T> ? value < static_cast<std::int64_t>(limits::min()) : value < 0;
  const bool above = value > 0 && static_cast<std::uint64_t>(value) > static_cast<std::uint64_t>(limits::max());
  if (below || above) {
    integer_out_of_range(errors, where, above, static_cast<std::int64_t>(limits::min()),
                         static_cast<std::uint64_t>(limits::max()));
    return false;
  }
  out = static_cast<T>(value);
  return true;
}

template <class T>
void read_integer_from_double(double value, T& out, const location& where, validation_errors& errors) {
  if (std::trunc(value) != value) {
    errors.add(where, "int_from_float", "Input should be a valid integer, got a number with a fractional part");
    return;
  }
  using limits = std::numeric_limits<T>;
  if (value < static_cast<double>(limits::min()) || value > static_cast<double>(limits::max())) {
    integer_out_of_range(errors, where, value > 0, static_cast<std::int64_t>(limits::min()),
                         static_cast<std::uint64_t>(limits::max()));
    return;
  }
  out = static_cast<T>(value);
}

// The names of an enum's values, for the message that lists them.
template <described_enum E>
const auto& enum_names() {
  static const auto names = [] {
    constexpr auto values = values_of<E>();
    std::array<std::string, values.size()> list;
    for (std::size_t i = 0; i < values.size(); ++i) list[i] = std::string(values[i].name);
    return list;
  }();
  return names;
}

template <described_enum E>
void read_enum_name(std::string_view text, E& out, const location& where, validation_errors& errors) {
  constexpr auto values = values_of<E>();
  for (const auto& v : values) {
    if (v.name == text) {
      out = v.value;
      return;
    }
  }
  bad_enum(errors, where, enum_names<E>().data(), enum_names<E>().size());
}

template <class T>
void read_timestamp_text(std::string_view text, T& out, const location& where, validation_errors& errors) {
  if constexpr (is_date_v<T>) {
    if (const auto day = parse_date(text)) {
      out = *day;
    } else {
      errors.add(where, "date_from_datetime_parsing", "Input should be a valid date in the format YYYY-MM-DD");
    }
  } else {
    using duration = typename T::duration;
    std::string_view problem;
    const auto time = parse_date_time(text, problem);
    if (!time) {
      bad_date_time(errors, where, problem);
      return;
    }
    // Whole seconds first: a duration finer than they are may not reach year 9999 (int64
    // nanoseconds end in 2262); such a date-time is out of the type's range.
    using limits = std::numeric_limits<typename duration::rep>;
    const auto whole = time->seconds.time_since_epoch().count();
    constexpr auto per_second = std::chrono::duration_cast<duration>(std::chrono::seconds(1)).count();
    if (per_second > 1 && (whole > limits::max() / per_second - 1 || whole < limits::min() / per_second + 1)) {
      bad_date_time(errors, where, "outside the range of its type");
      return;
    }
    out = std::chrono::time_point_cast<duration>(time->seconds) + std::chrono::duration_cast<duration>(time->fraction);
  }
}

// One field of a model: instantiated per member type, not per model and field, as all
// the models' fields of one type share it (an optimised build's time goes with the
// number of functions it is given).
template <class Member>
void read_field(const picojson::object& object, Member& out, std::string_view name, const field_rules& rules,
                const location& where, validation_errors& errors) {
  const location at = where.field(name);
  const auto found = object.find(std::string(name));
  if (found == object.end()) {
    // Absent: an optional stays as the struct made it (empty unless it says otherwise).
    if (!is_optional<Member>::value && !rules.has_default) errors.add(at, "missing", "Field required");
    return;
  }
  const std::size_t before = errors.size();
  read(found->second, out, at, errors);
  if (errors.size() == before && !errors.truncated()) check_rules(out, rules, at, errors);
}

}  // namespace detail

template <class T>
void read(const picojson::value& json, T& out, const location& where, validation_errors& errors) {
  if constexpr (std::is_same_v<T, picojson::value>) {
    out = json;
  } else if constexpr (is_optional<T>::value) {
    if (json.is<picojson::null>()) {
      out.reset();
    } else {
      out.emplace();
      read(json, *out, where, errors);
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    if (json.is<bool>()) {
      out = json.get<bool>();
    } else {
      detail::wrong_type(errors, where, "bool_type");
    }
  } else if constexpr (is_integer_v<T>) {
    if (json.is<std::int64_t>()) {
      detail::store_integer(json.get<std::int64_t>(), out, where, errors);
    } else if (json.is<double>()) {
      detail::read_integer_from_double(json.get<double>(), out, where, errors);
    } else {
      detail::wrong_type(errors, where, "int_type");
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (json.is<double>()) {
      out = static_cast<T>(json.get<double>());
      if (!std::isfinite(out)) detail::wrong_type(errors, where, "finite_number");
    } else {
      detail::wrong_type(errors, where, "float_type");
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (json.is<std::string>()) {
      out = json.get<std::string>();
    } else {
      detail::wrong_type(errors, where, "string_type");
    }
  } else if constexpr (described_enum<T>) {
    if (json.is<std::string>()) {
      detail::read_enum_name(json.get<std::string>(), out, where, errors);
    } else {
      detail::bad_enum(errors, where, detail::enum_names<T>().data(), detail::enum_names<T>().size());
    }
  } else if constexpr (is_timestamp<T>::value) {
    if (json.is<std::string>()) {
      detail::read_timestamp_text(json.get<std::string>(), out, where, errors);
    } else {
      detail::wrong_type(errors, where, is_date_v<T> ? "date_type" : "datetime_type");
    }
  } else if constexpr (is_vector<T>::value) {
    if (!json.is<picojson::array>()) {
      detail::wrong_type(errors, where, "list_type");
      return;
    }
    const auto& items = json.get<picojson::array>();
    out.clear();
    out.resize(items.size());
    for (std::size_t i = 0; i < items.size() && !errors.truncated(); ++i) read(items[i], out[i], where.item(i), errors);
  } else if constexpr (is_string_map<T>::value) {
    if (!json.is<picojson::object>()) {
      detail::wrong_type(errors, where, "dict_type");
      return;
    }
    out.clear();
    for (const auto& [key, value] : json.get<picojson::object>()) {
      if (errors.truncated()) break;
      read(value, out[key], where.field(key), errors);
    }
  } else if constexpr (model<T>) {
    if (!json.is<picojson::object>()) {
      detail::wrong_type(errors, where, "model_attributes_type");
      return;
    }
    const auto& object = json.get<picojson::object>();
    std::apply([&](const auto&... f) { (detail::read_field(object, out.*f.member, f.name(), f.rules(), where, errors), ...); },
               fields_of<T>());
  } else {
    static_assert(supported_type<T>(), "cogi::models::read: this type cannot be read from JSON (see describe.hpp)");
  }
}

template <class T>
void read_text(std::string_view text, T& out, const location& where, validation_errors& errors) {
  if constexpr (std::is_same_v<T, std::string>) {
    out = std::string(text);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (const auto value = detail::parse_bool(text)) {
      out = *value;
    } else {
      detail::wrong_type(errors, where, "bool_parsing");
    }
  } else if constexpr (is_integer_v<T>) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const bool negative = !text.empty() && text.front() == '-';
    const char* end = text.data() + text.size();
    // Signed types read as int64_t; unsigned ones as uint64_t, after the sign.
    using wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
    const char* first = text.data() + (std::is_signed_v<T> || !negative ? 0 : 1);
    wide value = 0;
    const auto [stop, ec] = std::from_chars(first, end, value);
    if (first == end || stop != end || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
      detail::wrong_type(errors, where, "int_parsing");
    } else if (ec == std::errc::result_out_of_range || (std::is_unsigned_v<T> && negative && value != 0)) {
      detail::integer_out_of_range(errors, where, !negative, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                   static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
    } else if constexpr (std::is_signed_v<T>) {
      detail::store_integer(value, out, where, errors);
    } else if (value > std::numeric_limits<T>::max()) {
      detail::integer_out_of_range(errors, where, true, 0, std::numeric_limits<T>::max());
    } else {
      out = static_cast<T>(value);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0;
    const auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || stop != text.data() + text.size() || text.empty()) {
      detail::wrong_type(errors, where, "float_parsing");
    } else if (!std::isfinite(static_cast<T>(value))) {
      detail::wrong_type(errors, where, "finite_number");
    } else {
      out = static_cast<T>(value);
    }
  } else if constexpr (described_enum<T>) {
    detail::read_enum_name(text, out, where, errors);
  } else if constexpr (is_timestamp<T>::value) {
    detail::read_timestamp_text(text, out, where, errors);
  } else if constexpr (is_optional<T>::value) {
    out.emplace();
    read_text(text, *out, where, errors);
  } else {
    static_assert(!model<T> && !is_vector<T>::value,
                  "a path, query, header or cookie parameter is one value: a string, number, bool, enum or timestamp "
                  "(a query parameter may also be a std::vector of them)");
    static_assert(supported_type<T>(), "cogi::models::read_text: unsupported type");
  }
}

template <class T>
void check_rules(const T& value, const field_rules& rules, const location& where, validation_errors& errors) {
  if constexpr (is_optional<T>::value) {
    if (value) check_rules(*value, rules, where, errors);
  } else if constexpr (std::is_same_v<T, std::string>) {
    detail::check_string(value, rules, where, errors);
  } else if constexpr (is_vector<T>::value) {
    detail::check_size(value.size(), rules, where, errors);
  } else if constexpr (is_integer_v<T>) {
    if constexpr (std::is_unsigned_v<T>) {
      if (value > static_cast<std::make_unsigned_t<std::int64_t>>(std::numeric_limits<std::int64_t>::max())) {
        detail::check_number(static_cast<double>(value), std::numeric_limits<std::int64_t>::max(), true, rules, where,
                             errors);
        return;
      }
    }
    detail::check_number(static_cast<double>(value), static_cast<std::int64_t>(value), true, rules, where, errors);
  } else if constexpr (std::is_floating_point_v<T>) {
    detail::check_number(static_cast<double>(value), 0, false, rules, where, errors);
  }
}

}  // namespace cogi::models
