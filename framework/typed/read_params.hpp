#pragma once
// How a typed handler's (or a provider's) parameters are read from the request: each
// kept in its own storage while the others are read, every problem added to one
// validation_errors, dependencies resolved (at most once per request), then each handed
// over to the call. Used by endpoint.hpp; nothing here is for handler writers.

#include <array>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "cogi/framework/forms/read_form.hpp"
#include "cogi/framework/models/read.hpp"
#include "cogi/framework/models/validation_errors.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/framework/request_lifetime.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/task.hpp"
#include "cogi/framework/typed/dependencies.hpp"
#include "cogi/framework/typed/operation.hpp"
#include "cogi/framework/typed/params.hpp"
#include "cogi/framework/typed/signature.hpp"

namespace cogi::detail {

using models::validation_errors;

// What was read of the request before its parameters: the body as text (for body<T>),
// or its form (for form<T>).
struct request_inputs {
  std::string_view body_text;
  const form_data* form = nullptr;
};

template <class T>
struct is_body : std::false_type {};
template <class T>
struct is_body<body<T>> : std::true_type {};

template <class T>
struct is_form : std::false_type {};
template <class T>
struct is_form<form<T>> : std::true_type {};

template <class T>
struct is_named_param : std::bool_constant<requires {
  { T::source } -> std::convertible_to<param_source>;
  { T::name } -> std::convertible_to<std::string_view>;
}> {};

template <class T>
struct is_depends : std::false_type {};
template <auto P>
struct is_depends<depends<P>> : std::true_type {};

template <class Arg>
constexpr bool is_request_ref = std::is_same_v<Arg, request&>;
template <class Arg>
constexpr bool is_tasks_ref = std::is_same_v<Arg, background_tasks&>;
template <class Arg>
constexpr bool is_response_ref = std::is_same_v<Arg, response&>;

// A response& parameter: headers, cookies and a status the handler sets on the answer
// its result becomes (FastAPI's `response: Response`). Status 0 until the handler sets one.
struct response_slot {
  response res{0};
};

template <class Arg>
constexpr bool valid_param() {
  using P = std::remove_cvref_t<Arg>;
  if constexpr (std::is_same_v<P, request>) {
    return is_request_ref<Arg>;
  } else if constexpr (std::is_same_v<P, background_tasks>) {
    return is_tasks_ref<Arg>;
  } else if constexpr (std::is_same_v<P, response>) {
    return is_response_ref<Arg>;
  } else {
    return is_body<P>::value || is_form<P>::value || is_named_param<P>::value || is_depends<P>::value;
  }
}

// What a parameter is kept in while the others are read.
template <class Arg>
using storage_t = std::conditional_t<
    is_request_ref<Arg>, request*,
    std::conditional_t<is_tasks_ref<Arg>, background_tasks*,
                       std::conditional_t<is_response_ref<Arg>, response_slot, std::remove_cvref_t<Arg>>>>;

template <class Arg>
decltype(auto) hand_over(storage_t<Arg>& stored) {
  if constexpr (is_request_ref<Arg> || is_tasks_ref<Arg>) {
    return *stored;
  } else if constexpr (is_response_ref<Arg>) {
    return static_cast<response&>(stored.res);
  } else if constexpr (std::is_reference_v<Arg>) {
    return static_cast<Arg>(stored);
  } else {
    return std::remove_cvref_t<Arg>(std::move(stored));
  }
}

// --- reading one parameter (everything but dependencies: they may need to wait) ---

std::optional<std::string_view> find_param(request& req, param_source source, std::string_view name);
std::vector<std::string_view> find_all(request& req, param_source source, std::string_view name);
void add_missing(validation_errors& errors, const models::location& where);

// Reads a defaults_to("text") value as a request's text would be read.
template <class T>
struct default_reader {
  void operator()(std::string_view text, T& value) const {
    validation_errors ignored;
    models::read_text(text, value, models::location{}, ignored);
  }
};

template <class Arg>
void read_param(request& req, const request_inputs& inputs, storage_t<Arg>& out, validation_errors& errors) {
  using P = std::remove_cvref_t<Arg>;
  if constexpr (is_request_ref<Arg>) {
    out = &req;
  } else if constexpr (is_tasks_ref<Arg>) {
    out = &req.lifetime().tasks();
  } else if constexpr (is_body<P>::value) {
    using T = std::remove_cvref_t<decltype(out.value)>;
    const models::location where{nullptr, "body"};
    // An empty body is an absent one (FastAPI's view): missing, unless it is optional.
    if (inputs.body_text.empty()) {
      if (!models::is_optional<T>::value) add_missing(errors, where);
      return;
    }
    models::read_from_text(inputs.body_text, out.value, where, errors);
  } else if constexpr (is_form<P>::value) {
    read_form(*inputs.form, out.value, models::location{nullptr, "body"}, errors);
  } else if constexpr (is_named_param<P>::value) {
    using T = std::remove_cvref_t<decltype(out.value)>;
    const models::location section{nullptr, source_name(P::source)};
    const models::location where = section.field(P::name);
    if constexpr (models::is_vector<T>::value) {
      static_assert(P::source == param_source::query || P::source == param_source::header,
                    "cogi: only query and header parameters can be a std::vector (of their repeated values)");
      const auto all = find_all(req, P::source, P::name);
      out.value.resize(all.size());
      for (std::size_t i = 0; i < all.size(); ++i) models::read_text(all[i], out.value[i], where.item(i), errors);
    } else {
      const auto text = find_param(req, P::source, P::name);
      if (!text) {
        if constexpr (P::has_default) {
          P::apply_default(out.value, default_reader<T>{});
        } else if constexpr (!models::is_optional<T>::value) {
          add_missing(errors, where);
        }
        return;
      }
      const std::size_t before = errors.size();
      models::read_text(*text, out.value, where, errors);
      if (errors.size() == before && !errors.truncated()) models::check_rules(out.value, P::rules(), where, errors);
    }
  }
}

// --- what the parameters need and say, at compile time and for the documentation ---

template <class Tuple>
struct params_of;
template <class... Args>
struct params_of<std::tuple<Args...>>;

// Whether the parameter, or one of a dependency's, is of a Kind (is_body: it needs the
// body as text; is_form: the form).
template <template <class> class Kind, class Arg>
constexpr bool needs_input() {
  using P = std::remove_cvref_t<Arg>;
  if constexpr (Kind<P>::value) {
    return true;
  } else if constexpr (is_depends<P>::value) {
    return params_of<typename signature<decltype(P::provider)>::args>::template needs<Kind>;
  } else {
    return false;
  }
}

void add_parameter(operation& op, param_source source, std::string_view name, bool required, models::schema_fn schema);

template <class T>
using unwrapped_t = typename models::detail::unwrap_optional<T>::type;

// A named parameter's schema: its type's, with its rules and default.
template <class P>
void param_schema(std::string& out, models::schema_registry& registry) {
  using T = std::remove_cvref_t<decltype(P::value)>;
  models::append_schema<unwrapped_t<T>>(out, registry, &P::rules());
  if constexpr (P::has_default) {
    T fallback{};
    P::apply_default(fallback, default_reader<T>{});
    out.pop_back();
    out.append(",\"default\":");
    models::write(out, fallback);
    out.push_back('}');
  }
}

template <class Arg>
void describe_param(operation& op) {
  using P = std::remove_cvref_t<Arg>;
  if constexpr (is_body<P>::value) {
    using T = std::remove_cvref_t<decltype(P::value)>;
    op.has_body = true;
    op.body_required = !models::is_optional<T>::value;
    op.body_schema = &models::write_schema<unwrapped_t<T>>;
  } else if constexpr (is_form<P>::value) {
    using T = std::remove_cvref_t<decltype(P::value)>;
    op.has_body = true;
    op.body_required = true;
    op.body_schema = &models::write_schema<T>;
    op.body_media_type = has_upload_fields<T>() ? "multipart/form-data" : "application/x-www-form-urlencoded";
  } else if constexpr (is_named_param<P>::value) {
    using T = std::remove_cvref_t<decltype(P::value)>;
    add_parameter(op, P::source, P::name,
                  P::source == param_source::path ||
                      (!models::is_optional<T>::value && !models::is_vector<T>::value && !P::has_default),
                  &param_schema<P>);
  } else if constexpr (is_depends<P>::value) {
    params_of<typename signature<decltype(P::provider)>::args>::describe(op);
  }
}

// --- dependencies ---

template <auto Provider>
inline constexpr char provider_key = 0;  // its address identifies the provider

// A dependency's value for this request: the one already made, or the provider's, called
// with its own parameters (its dependencies first). nullptr, and the provider not called,
// when those parameters have problems (they are in `errors`: the request is a 422).
template <auto Provider>
task<typename depends<Provider>::value_type*> resolve(request& req, const request_inputs& inputs,
                                                      validation_errors& errors);

// Reads a parameter list: all at once but the dependencies, which are resolved in order.
template <class... Args>
struct params_of<std::tuple<Args...>> {
  using stored = std::tuple<storage_t<Args>...>;
  template <template <class> class Kind>
  static constexpr bool needs = (needs_input<Kind, Args>() || ...);
  static constexpr bool needs_body = needs<is_body>;
  static constexpr bool needs_form = needs<is_form>;
  // Where a response& parameter is, or sizeof...(Args) when there is none.
  static constexpr std::size_t response_index = [] {
    constexpr bool flags[] = {is_response_ref<Args>..., false};
    std::size_t i = 0;
    while (i < sizeof...(Args) && !flags[i]) ++i;
    return i;
  }();
  static constexpr std::size_t dependency_count = (static_cast<std::size_t>(is_depends<std::remove_cvref_t<Args>>::value) + ... + 0);

  static constexpr bool check() {
    static_assert((valid_param<Args>() && ...), "cogi: a handler's (or provider's) parameters are cogi::request&, "
                                                "cogi::background_tasks&, or typed: cogi::body<T>, "
                                                "cogi::path<\"name\", T>, cogi::query<\"name\", T>, "
                                                "cogi::header<\"name\", T>, cogi::cookie<\"name\", T>, "
                                                "cogi::depends<provider>");
    static_assert((static_cast<int>(is_body<std::remove_cvref_t<Args>>::value) + ... + 0) <= 1,
                  "cogi: a handler has at most one cogi::body<T> parameter (put the fields in one model)");
    static_assert((static_cast<int>(is_form<std::remove_cvref_t<Args>>::value) + ... + 0) <= 1,
                  "cogi: a handler has at most one cogi::form<T> parameter (put the fields in one model)");
    static_assert(!(needs_body && needs_form), "cogi: a request's body is JSON (cogi::body<T>) or a form "
                                               "(cogi::form<T>), not both");
    static_assert((static_cast<int>(is_response_ref<Args>) + ... + 0) <= 1,
                  "cogi: a handler has at most one cogi::response& parameter");
    return true;
  }

  static void describe(operation& op) { (describe_param<Args>(op), ...); }

  // Everything but the dependencies.
  static void read(request& req, const request_inputs& inputs, stored& values, validation_errors& errors) {
    read_each(req, inputs, values, errors, std::index_sequence_for<Args...>{});
  }

  // A handler's parameters: read(), then the 422 if anything (a dependency's parameters
  // included) is wrong. Out of the handler's coroutine, and one per parameter list.
  [[gnu::noinline]] static void read_or_throw(request& req, const request_inputs& inputs, stored& values,
                                              validation_errors& errors) {
    read(req, inputs, values, errors);
    if (!errors.empty()) throw models::request_validation_error(std::move(errors));
  }

  // The response& parameter's response, or nullptr when there is none.
  static response* response_slot([[maybe_unused]] stored& values) {
    if constexpr (response_index < sizeof...(Args)) {
      return &std::get<response_index>(values).res;
    } else {
      return nullptr;
    }
  }

  // The dependencies: for each J in dependency_order, the provider of parameter
  // positions[J] and the pointer its value is handed over by. Resolved in order, by the
  // coroutine that reads the parameters (typed_endpoint, resolve_with), so that
  // no coroutine is added per parameter list: their frames are what an optimised build
  // spends its time on (bench/compile_time.sh).
  static constexpr auto dependency_order = std::make_index_sequence<dependency_count>{};
  static constexpr auto dependency_positions() {
    constexpr bool flags[] = {is_depends<std::remove_cvref_t<Args>>::value..., false};
    std::array<std::size_t, dependency_count> found{};
    std::size_t next = 0;
    for (std::size_t i = 0; i < sizeof...(Args); ++i)
      if (flags[i]) found[next++] = i;
    return found;
  }
  static constexpr auto positions = dependency_positions();
  template <std::size_t J>
  static constexpr auto provider = std::tuple_element_t<positions[J], stored>::provider;
  template <std::size_t J>
  static auto*& dependency(stored& values) {
    return std::get<positions[J]>(values).ptr;
  }

 private:
  template <std::size_t... I>
  static void read_each([[maybe_unused]] request& req, [[maybe_unused]] const request_inputs& inputs,
                        [[maybe_unused]] stored& values, [[maybe_unused]] validation_errors& errors,
                        std::index_sequence<I...>) {
    (read_param<Args>(req, inputs, std::get<I>(values), errors), ...);
  }
};

template <auto Provider, class Stored, std::size_t... I>
auto call_provider(Stored& values, std::index_sequence<I...>) {
  using args = typename signature<decltype(Provider)>::args;
  return Provider(hand_over<std::tuple_element_t<I, args>>(std::get<I>(values))...);
}

// resolve(), with the provider's own dependencies (J...) resolved first, in the fold.
template <auto Provider, std::size_t... J>
task<typename depends<Provider>::value_type*> resolve_with(request& req, const request_inputs& inputs,
                                                           validation_errors& errors, std::index_sequence<J...>) {
  using value_type = typename depends<Provider>::value_type;
  using sig = signature<decltype(Provider)>;
  using params = params_of<typename sig::args>;
  static_assert(params::check());
  request_lifetime& lifetime = req.lifetime();
  if (value_type* cached = lifetime.find<value_type>(&provider_key<Provider>)) co_return cached;
  typename params::stored values;
  const std::size_t before = errors.size();
  ((params::template dependency<J>(values) = co_await resolve<params::template provider<J>>(req, inputs, errors)), ...);
  params::read(req, inputs, values, errors);
  if (errors.size() != before || errors.truncated()) co_return nullptr;
  constexpr auto all = std::make_index_sequence<std::tuple_size_v<typename sig::args>>{};
  if constexpr (awaitable_result<typename sig::result>::is_awaitable) {
    value_type value = co_await call_provider<Provider>(values, all);
    co_return &lifetime.keep(&provider_key<Provider>, std::move(value));
  } else {
    value_type value = call_provider<Provider>(values, all);
    co_return &lifetime.keep(&provider_key<Provider>, std::move(value));
  }
}

template <auto Provider>
task<typename depends<Provider>::value_type*> resolve(request& req, const request_inputs& inputs,
                                                      validation_errors& errors) {
  using params = params_of<typename signature<decltype(Provider)>::args>;
  return resolve_with<Provider>(req, inputs, errors, params::dependency_order);
}

}  // namespace cogi::detail
