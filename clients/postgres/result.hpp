#pragma once
// A statement's result, and how its rows become C++ values.
//
// Results come from the server in binary form, so integers are read without parsing
// text. A row becomes:
//   a single value (int, std::string, std::optional<double>, ...)  for one column;
//   a std::tuple of such values, column by column;
//   an aggregate (a plain struct), member by member in declaration order:
//     struct world { int id; int randomnumber; };
//     world w = result.one<world>();
// Column types read as:
//   bool                      bool
//   int2, int4, int8, oid     any integer type the value fits in (else decode_error)
//   float4, float8            float, double
//   text, varchar, char(n), name, json, jsonb, unknown
//                             std::string (std::string_view: only while the result lives)
//   bytea                     postgres::bytea
//   NULL                      std::optional<T> (an empty one); into a plain T: decode_error
// Other types (numeric, timestamps, uuid, ...): cast them in SQL (`::text`, `::float8`).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "cogi/clients/postgres/error.hpp"
#include "cogi/clients/postgres/params.hpp"

struct pg_result;  // libpq's PGresult

namespace cogi::postgres {

class field;

// How a column value is read as T. Specialised below for the types in the table above.
template <class T>
struct field_traits;

template <class T>
concept field_value = requires(const field& f) {
  { field_traits<T>::read(f) } -> std::same_as<T>;
};

// One value of one row, valid while its result lives.
class field {
 public:
  field(const pg_result* result, int row, int column) : result_(result), row_(row), column_(column) {}

  bool is_null() const;
  // The column's type OID (pg_type.oid): 23 for int4, 25 for text, ...
  unsigned type() const;
  std::string_view name() const;
  // The value's bytes in binary format (empty for NULL).
  std::string_view bytes() const;
  int column() const { return column_; }

  template <field_value T>
  T as() const {
    return field_traits<T>::read(*this);
  }

  // A decode_error naming this column, its type and `what` went wrong.
  [[noreturn]] void fail(std::string_view what) const;

 private:
  const pg_result* result_;
  int row_;
  int column_;
};

class row;

namespace detail {
template <class T>
T read_row(const row& r);
}  // namespace detail

// One row of a result, valid while its result lives.
class row {
 public:
  row(const pg_result* result, int index) : result_(result), index_(index) {}

  std::size_t size() const;  // columns
  field operator[](std::size_t column) const { return field(result_, index_, static_cast<int>(column)); }
  field at(std::size_t column) const;
  field at(std::string_view column_name) const;

  template <class T>
  T as() const {
    return detail::read_row<T>(*this);
  }

 private:
  const pg_result* result_;
  int index_;
};

class result {
 public:
  result() = default;
  explicit result(pg_result* owned) : result_(owned) {}

  std::size_t size() const;  // rows
  bool empty() const { return size() == 0; }
  std::size_t columns() const;
  // Rows inserted, updated or deleted by the statement (0 for others).
  std::uint64_t affected_rows() const;
  row operator[](std::size_t index) const { return row(result_.get(), static_cast<int>(index)); }

  // The one row, as T; row_count_error unless there is exactly one.
  template <class T>
  T one() const {
    expect_rows(1, 1);
    return (*this)[0].as<T>();
  }
  // The row as T, or nothing; row_count_error when there are several.
  template <class T>
  std::optional<T> optional() const {
    expect_rows(0, 1);
    if (empty()) return std::nullopt;
    return (*this)[0].as<T>();
  }
  // Every row as T.
  template <class T>
  std::vector<T> all() const {
    std::vector<T> rows;
    rows.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) rows.push_back((*this)[i].as<T>());
    return rows;
  }

  const pg_result* native() const { return result_.get(); }

 private:
  void expect_rows(std::size_t at_least, std::size_t at_most) const;

  struct clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, clear> result_;
};

// A query that was to give one row (or at most one) gave another number.
class row_count_error : public error {
 public:
  using error::error;
};

// ---- column values ----

namespace detail {
std::int64_t read_integer(const field& f);  // int2/int4/int8/oid
double read_floating(const field& f);       // float4/float8
bool read_bool(const field& f);
std::string_view read_text(const field& f);  // text-like types
void fail_null(const field& f, std::string_view type_name);
[[noreturn]] void fail_range(const field& f);
}  // namespace detail

template <class T>
  requires detail::is_integer_v<T>
struct field_traits<T> {
  static T read(const field& f) {
    detail::fail_null(f, "an integer");
    const std::int64_t v = detail::read_integer(f);
    if (!std::in_range<T>(v)) detail::fail_range(f);
    return static_cast<T>(v);
  }
};
template <std::floating_point T>
struct field_traits<T> {
  static T read(const field& f) {
    detail::fail_null(f, "a floating-point number");
    return static_cast<T>(detail::read_floating(f));
  }
};
template <>
struct field_traits<bool> {
  static bool read(const field& f) {
    detail::fail_null(f, "bool");
    return detail::read_bool(f);
  }
};
template <>
struct field_traits<std::string_view> {
  static std::string_view read(const field& f) {
    detail::fail_null(f, "text");
    return detail::read_text(f);
  }
};
template <>
struct field_traits<std::string> {
  static std::string read(const field& f) { return std::string(field_traits<std::string_view>::read(f)); }
};
template <>
struct field_traits<bytea> {
  static bytea read(const field& f);
};
template <class T>
struct field_traits<std::optional<T>> {
  static std::optional<T> read(const field& f) {
    if (f.is_null()) return std::nullopt;
    return field_traits<T>::read(f);
  }
};

// ---- rows ----

namespace detail {

[[noreturn]] void fail_columns(const row& r, std::size_t wanted, std::string_view what);

// Converts to any member type: counts an aggregate's members (the largest N for which
// T{member_probe, ... N times} is valid).
struct member_probe {
  template <class T>
  operator T&() const;  // NOLINT: implicit on purpose
  template <class T>
  operator T&&() const;  // NOLINT
};

template <class T, std::size_t... I>
constexpr bool brace_constructible(std::index_sequence<I...>) {
  return requires { T{(void(I), member_probe{})...}; };
}

template <class T, std::size_t N = 16>
constexpr std::size_t member_count() {
  if constexpr (N == 0) {
    return 0;
  } else if constexpr (brace_constructible<T>(std::make_index_sequence<N>{})) {
    return N;
  } else {
    return member_count<T, N - 1>();
  }
}

template <class Tuple, std::size_t... I>
Tuple read_tuple(const row& r, std::index_sequence<I...>) {
  return Tuple{r[I].template as<std::tuple_element_t<I, Tuple>>()...};
}

template <class T>
struct is_tuple : std::false_type {};
template <class... A>
struct is_tuple<std::tuple<A...>> : std::true_type {};

// Reads columns 0..N-1 into the members of `out` (bound by a structured binding).
template <class... Members>
void read_members(const row& r, Members&... members) {
  int column = 0;
  ((members = r[static_cast<std::size_t>(column++)].template as<std::remove_cvref_t<Members>>()), ...);
}

template <class T>
T read_aggregate(const row& r) {
  constexpr std::size_t n = member_count<T>();
  static_assert(n >= 1 && n <= 16, "a row type is an aggregate of 1 to 16 members, a std::tuple or one value");
  if (r.size() != n) fail_columns(r, n, "members");
  T out{};
  // clang-format off
  if constexpr (n == 1) { auto& [a] = out; read_members(r, a); }
  else if constexpr (n == 2) { auto& [a, b] = out; read_members(r, a, b); }
  else if constexpr (n == 3) { auto& [a, b, c] = out; read_members(r, a, b, c); }
  else if constexpr (n == 4) { auto& [a, b, c, d] = out; read_members(r, a, b, c, d); }
  else if constexpr (n == 5) { auto& [a, b, c, d, e] = out; read_members(r, a, b, c, d, e); }
  else if constexpr (n == 6) { auto& [a, b, c, d, e, f] = out; read_members(r, a, b, c, d, e, f); }
  else if constexpr (n == 7) { auto& [a, b, c, d, e, f, g] = out; read_members(r, a, b, c, d, e, f, g); }
  else if constexpr (n == 8) { auto& [a, b, c, d, e, f, g, h] = out; read_members(r, a, b, c, d, e, f, g, h); }
  else if constexpr (n == 9) { auto& [a, b, c, d, e, f, g, h, i] = out; read_members(r, a, b, c, d, e, f, g, h, i); }
  else if constexpr (n == 10) { auto& [a, b, c, d, e, f, g, h, i, j] = out; read_members(r, a, b, c, d, e, f, g, h, i, j); }
  else if constexpr (n == 11) { auto& [a, b, c, d, e, f, g, h, i, j, k] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k); }
  else if constexpr (n == 12) { auto& [a, b, c, d, e, f, g, h, i, j, k, l] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k, l); }
  else if constexpr (n == 13) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k, l, m); }
  else if constexpr (n == 14) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, o] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k, l, m, o); }
  else if constexpr (n == 15) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, o, p] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k, l, m, o, p); }
  else { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, o, p, q] = out; read_members(r, a, b, c, d, e, f, g, h, i, j, k, l, m, o, p, q); }
  // clang-format on
  return out;
}

template <class T>
T read_row(const row& r) {
  if constexpr (field_value<T>) {
    if (r.size() != 1) fail_columns(r, 1, "value");
    return r[0].as<T>();
  } else if constexpr (is_tuple<T>::value) {
    if (r.size() != std::tuple_size_v<T>) fail_columns(r, std::tuple_size_v<T>, "tuple elements");
    return read_tuple<T>(r, std::make_index_sequence<std::tuple_size_v<T>>{});
  } else {
    static_assert(std::is_aggregate_v<T>, "a row type is an aggregate, a std::tuple or one value (see result.hpp)");
    return read_aggregate<T>(r);
  }
}

}  // namespace detail
}  // namespace cogi::postgres
