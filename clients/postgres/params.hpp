#pragma once
// How C++ values become a statement's parameters ($1, $2, ...):
// - integers, double, float: sent as text (the server converts them to the
//   parameter's type, whatever it inferred: int2/int4/int8/numeric/float);
// - bool: t or f;
// - std::string, std::string_view, const char*: text (without NUL bytes, which
//   PostgreSQL text cannot hold);
// - postgres::bytea (std::vector<std::byte>), std::span<const std::byte>: bytea, sent
//   binary (no escaping);
// - std::vector<integer>, std::span<const integer>: an array literal {1,2,3}, for
//   `= ANY($1)` or `unnest($1::int[])`;
// - std::optional<T> (NULL when empty), std::nullptr_t (NULL).
//
// Text for numbers costs a few nanoseconds and frees the caller from matching the
// server's inferred parameter types (a binary int8 for an int4 parameter is an error).

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cogi::postgres {

using bytea = std::vector<std::byte>;

namespace detail {

// One encoded parameter, in libpq's terms. Short texts (every number) live in
// `inline_text`, longer ones in `spill`; `external` points into the caller's own argument,
// which outlives the send. The pointer is computed when the parameter is used, so an
// encoded_param may move (in a batch's vector).
struct encoded_param {
  enum class storage : unsigned char { null, inline_text, spill, external };
  storage where = storage::null;
  int format = 0;  // 0 text (NUL-terminated), 1 binary
  int length = 0;
  const char* external = nullptr;
  char inline_text[40];
  std::string spill;

  // nullptr for NULL.
  const char* value() const {
    switch (where) {
      case storage::inline_text: return inline_text;
      case storage::spill: return spill.c_str();
      case storage::external: return external;
      case storage::null: break;
    }
    return nullptr;
  }
  void set_null() { where = storage::null; }
  void set_text(std::string_view text);
  void set_external(const char* data, std::size_t size, int data_format) {
    where = storage::external;
    external = data;
    length = static_cast<int>(size);
    format = data_format;
  }
  // `spill` holds the value.
  void set_spilled(int data_format) {
    where = storage::spill;
    length = static_cast<int>(spill.size());
    format = data_format;
  }
};

// Throws std::invalid_argument when `text` holds a NUL byte.
void check_text(std::string_view text);

template <class T>
inline constexpr bool is_integer_v = std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>;

template <class T>
void encode_integer(T value, encoded_param& out) {
  auto [end, ec] = std::to_chars(out.inline_text, out.inline_text + sizeof out.inline_text - 1, value);
  *end = '\0';
  out.where = encoded_param::storage::inline_text;
  out.length = static_cast<int>(end - out.inline_text);
  out.format = 0;
}

void encode_double(double value, encoded_param& out);

template <class T>
void encode_integer_array(std::span<const T> values, encoded_param& out) {
  out.spill.assign(1, '{');
  char digits[24];
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.spill.push_back(',');
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, values[i]);
    out.spill.append(digits, end);
  }
  out.spill.push_back('}');
  out.set_spilled(0);
}

}  // namespace detail

// Whether T can be passed as a parameter (see the table above).
template <class T>
struct param_traits;

template <class T>
  requires detail::is_integer_v<T>
struct param_traits<T> {
  static void encode(T value, detail::encoded_param& out) { detail::encode_integer(value, out); }
};
template <std::floating_point T>
struct param_traits<T> {
  static void encode(T value, detail::encoded_param& out) { detail::encode_double(static_cast<double>(value), out); }
};
template <>
struct param_traits<bool> {
  static void encode(bool value, detail::encoded_param& out) { out.set_text(value ? "t" : "f"); }
};
template <>
struct param_traits<std::string> {
  static void encode(const std::string& value, detail::encoded_param& out) {
    detail::check_text(value);
    out.set_external(value.c_str(), value.size(), 0);
  }
};
template <>
struct param_traits<std::string_view> {
  static void encode(std::string_view value, detail::encoded_param& out) {
    detail::check_text(value);
    out.spill.assign(value);
    out.set_spilled(0);
  }
};
template <>
struct param_traits<const char*> {
  static void encode(const char* value, detail::encoded_param& out) {
    if (value == nullptr) return out.set_null();
    out.set_external(value, std::strlen(value), 0);
  }
};
template <>
struct param_traits<std::span<const std::byte>> {
  static void encode(std::span<const std::byte> value, detail::encoded_param& out) {
    // A non-null pointer even for an empty value: nullptr would mean NULL.
    static const char empty = 0;
    out.set_external(value.empty() ? &empty : reinterpret_cast<const char*>(value.data()), value.size(), 1);
  }
};
template <>
struct param_traits<bytea> {
  static void encode(const bytea& value, detail::encoded_param& out) {
    param_traits<std::span<const std::byte>>::encode(std::span<const std::byte>(value), out);
  }
};
template <class T>
  requires detail::is_integer_v<T>
struct param_traits<std::span<const T>> {
  static void encode(std::span<const T> values, detail::encoded_param& out) { detail::encode_integer_array(values, out); }
};
template <class T>
  requires detail::is_integer_v<T>
struct param_traits<std::vector<T>> {
  static void encode(const std::vector<T>& values, detail::encoded_param& out) {
    detail::encode_integer_array(std::span<const T>(values), out);
  }
};
template <class T>
struct param_traits<std::optional<T>> {
  static void encode(const std::optional<T>& value, detail::encoded_param& out) {
    if (value) param_traits<T>::encode(*value, out);
    else out.set_null();
  }
};
template <>
struct param_traits<std::nullptr_t> {
  static void encode(std::nullptr_t, detail::encoded_param& out) { out.set_null(); }
};

// The parameter type a call stores for an argument: string literals and char arrays
// become const char*, everything else is decay-copied (so the call owns its values).
template <class T>
using param_t = std::decay_t<T>;

template <class T>
concept parameter = requires(const param_t<T>& value, detail::encoded_param& out) {
  param_traits<param_t<T>>::encode(value, out);
};

// The four arrays libpq's PQsendQueryPrepared/PQsendQueryParams take, for `count`
// encoded parameters.
struct param_arrays {
  int count = 0;
  const char* const* values = nullptr;
  const int* lengths = nullptr;
  const int* formats = nullptr;
};

namespace detail {

// Parameters of one call, encoded in place: no allocation for numbers and std::string.
template <std::size_t N>
struct fixed_params {
  encoded_param params[N == 0 ? 1 : N];
  const char* values[N == 0 ? 1 : N];
  int lengths[N == 0 ? 1 : N];
  int formats[N == 0 ? 1 : N];

  template <class... Args>
  explicit fixed_params(const Args&... args) {
    std::size_t i = 0;
    ((param_traits<Args>::encode(args, params[i]), ++i), ...);
    for (std::size_t k = 0; k < N; ++k) {
      values[k] = params[k].value();
      lengths[k] = params[k].length;
      formats[k] = params[k].format;
    }
  }
  fixed_params(const fixed_params&) = delete;
  fixed_params& operator=(const fixed_params&) = delete;

  param_arrays arrays() const { return {static_cast<int>(N), values, lengths, formats}; }
};

// Parameters of many calls (a batch), kept until the batch is sent.
class param_store {
 public:
  template <class... Args>
  void add(const Args&... args) {
    const std::size_t first = params_.size();
    params_.resize(first + sizeof...(Args));
    std::size_t i = first;
    ((param_traits<Args>::encode(args, params_[i]), ++i), ...);
    // The arguments are gone after add() returns: what points into them is copied.
    for (std::size_t k = first; k < params_.size(); ++k) own(params_[k]);
    groups_.push_back({first, sizeof...(Args)});
  }

  std::size_t size() const { return groups_.size(); }
  // The arrays of the i-th call; all stay valid together until the next add().
  param_arrays arrays(std::size_t i);

 private:
  struct group { std::size_t first; std::size_t count; };
  static void own(encoded_param& p);

  std::vector<encoded_param> params_;
  std::vector<group> groups_;
  // libpq's arrays for every parameter, built once all are added.
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

}  // namespace detail
}  // namespace cogi::postgres
