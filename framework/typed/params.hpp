#pragma once
// The parameters a typed handler declares, each read from its part of the request and
// converted to its type before the handler runs (FastAPI's idea, C++'s types):
//
//   app.post("/notes/{folder}", [](cogi::path<"folder", std::int64_t> folder,
//                                 cogi::body<note_in> in,
//                                 cogi::query<"tag", std::optional<std::string>> tag,
//                                 cogi::header<"x-request-id", std::optional<std::string>> id,
//                                 cogi::cookie<"session", std::string> session) -> cogi::task<note_out> {
//     ...  in->title, *folder, tag->value_or("none")
//   });
//
// body<T>: the request body as JSON, read into T (a model, a vector, ...); empty is
// "missing" unless T is a std::optional. form<T>: the request's form, read into the
// model T, files included (forms/read_form.hpp). path/query/header/cookie<"name", T>: one value
// read from text (strings, numbers, bools, described enums, timestamps), required
// unless T is a std::optional; query<"tag", std::vector<T>> takes every repeated value.
// A value that does not convert, or is missing, is a 422 listing every problem of the
// request (validation_errors.hpp). Header names match in any case. Rules follow the
// type, in any order, as in models (models/rules.hpp), with a default for an absent
// value:
//
//   app.get("/notes", [](cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit,
//                        cogi::query<"sort", std::string, cogi::defaults_to("newest"), cogi::max_length(20)> sort)
//                         -> cogi::task<std::vector<note>> { co_return page_of(*limit, *sort); });
//
// Each gives its value as `.value`, `*p` and `p->`. A handler may also take the
// cogi::request& itself, beside or instead of these.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "cogi/framework/models/describe.hpp"
#include "cogi/framework/models/rules.hpp"

namespace cogi {

// A parameter's name, given as a template argument: query<"limit", int>.
template <std::size_t N>
struct fixed_name {
  char text[N]{};
  constexpr fixed_name(const char (&name)[N]) { std::copy_n(name, N, text); }  // NOLINT: implicit by design
  constexpr std::string_view view() const { return {text, N - 1}; }
};

enum class param_source { path, query, header, cookie };

// "path", "query", "header", "cookie": FastAPI's first loc element, OpenAPI's `in`.
constexpr std::string_view source_name(param_source source) {
  switch (source) {
    case param_source::path: return "path";
    case param_source::query: return "query";
    case param_source::header: return "header";
    case param_source::cookie: return "cookie";
  }
  return "query";
}

namespace detail {

// What every parameter wrapper offers: its value, and pointer-like access to it.
template <class T>
struct param_value {
  T value{};

  T& operator*() & { return value; }
  const T& operator*() const& { return value; }
  T&& operator*() && { return std::move(value); }
  T* operator->() { return &value; }
  const T* operator->() const { return &value; }
};

}  // namespace detail

template <class T>
struct body : detail::param_value<T> {};

// The request's form (application/x-www-form-urlencoded or multipart/form-data) read
// into the model T: text fields converted as query parameters are, files as
// cogi::upload fields (forms/upload.hpp), std::vector fields from repeated names.
template <class T>
struct form : detail::param_value<T> {};

// The value a parameter takes when the request has none: defaults_to(20),
// defaults_to("newest") (FastAPI's `limit: int = 20`).
template <class V>
struct defaults_to {
  static constexpr models::rule_target target = models::rule_target::any;
  V value;
  constexpr explicit defaults_to(V v) : value(v) {}
  void apply(models::field_rules& r) const { r.has_default = true; }
};
template <std::size_t N>
defaults_to(const char (&)[N]) -> defaults_to<fixed_name<N>>;

// The rules of models (models/rules.hpp), for parameters too:
// query<"limit", int, defaults_to(20), ge(1), le(100)>.
using models::rules::ge;
using models::rules::gt;
using models::rules::le;
using models::rules::lt;
using models::rules::max_length;
using models::rules::min_length;

namespace detail {
template <class R>
struct is_defaults_to : std::false_type {};
template <class V>
struct is_defaults_to<defaults_to<V>> : std::true_type {};
template <class V>
struct is_fixed_name : std::false_type {};
template <std::size_t N>
struct is_fixed_name<fixed_name<N>> : std::true_type {};
}  // namespace detail

template <param_source Source, fixed_name Name, class T, auto... Rules>
struct named_param : detail::param_value<T> {
  static constexpr param_source source = Source;
  static constexpr std::string_view name = Name.view();
  static constexpr bool has_default = (detail::is_defaults_to<std::remove_cvref_t<decltype(Rules)>>::value || ...);

  // The rules gathered, once.
  static const models::field_rules& rules() {
    static const models::field_rules gathered = [] {
      (models::detail::check_rule<T, std::remove_cvref_t<decltype(Rules)>>(), ...);
      models::field_rules r;
      (Rules.apply(r), ...);
      return r;
    }();
    return gathered;
  }
  // Sets `value` to the defaults_to value, if there is one (a string one is read as the
  // request's text would be, so defaults_to("high") fits an enum).
  template <class Read>
  static void apply_default(T& value, Read read_text) {
    (apply_one(value, Rules, read_text), ...);
  }

 private:
  template <class R, class Read>
  static void apply_one(T& value, const R& rule, Read read_text) {
    if constexpr (detail::is_defaults_to<R>::value) {
      if constexpr (detail::is_fixed_name<std::remove_cvref_t<decltype(rule.value)>>::value) {
        read_text(rule.value.view(), value);
      } else {
        value = static_cast<T>(rule.value);
      }
    }
  }
};

template <fixed_name Name, class T = std::string, auto... Rules>
using path = named_param<param_source::path, Name, T, Rules...>;
template <fixed_name Name, class T = std::string, auto... Rules>
using query = named_param<param_source::query, Name, T, Rules...>;
template <fixed_name Name, class T = std::string, auto... Rules>
using header = named_param<param_source::header, Name, T, Rules...>;
template <fixed_name Name, class T = std::string, auto... Rules>
using cookie = named_param<param_source::cookie, Name, T, Rules...>;

}  // namespace cogi
