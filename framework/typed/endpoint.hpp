#pragma once
// Turns any handler a route accepts into the router's handler_fn, reading its
// signature at compile time:
//  - a plain handler, (cogi::request&) -> cogi::task<cogi::response>, is used as it is;
//  - a typed one takes parameters from params.hpp and dependencies.hpp (and the
//    request&, background_tasks& or response& if it likes) and returns task<response>,
//    task<void> (204) or task<T> for a T that can be written as JSON (models,
//    vectors, ...: written with the route's status, 200 by default).
// The parameters are all read before the handler runs; any problem with any of them is
// one request_validation_error (422) listing them all. Mistakes in a handler's shape
// stop the build with a sentence saying what to write instead.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "cogi/framework/forms/form_data.hpp"
#include "cogi/framework/model.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/task.hpp"
#include "cogi/framework/typed/operation.hpp"
#include "cogi/framework/typed/read_params.hpp"
#include "cogi/framework/typed/signature.hpp"

namespace cogi {

// A route's endpoint, as the router stores it.
using handler_fn = std::function<task<response>(request&)>;

namespace detail {

template <class T>
constexpr bool valid_result() {
  return std::is_same_v<T, response> || std::is_void_v<T> || models::supported_type<T>();
}

// The response for a typed handler's result: its JSON text (none for task<void>), with
// what a response& parameter set (`slot`, or nullptr): its status, else the route's,
// and its headers. Out of the coroutines that call it (endpoint.cpp), as what
// an optimised build spends its time on is their code (bench/compile_time.sh).
response typed_answer(response* slot, const operation& op, std::optional<std::string> json_text);

// The same for a result to write as JSON: one per result type.
template <class Value>
[[gnu::noinline]] response typed_answer_json(response* slot, const operation& op, const Value& result) {
  return typed_answer(slot, op, to_json(result));
}

// The typed adaptor: reads the parameters, calls the handler, writes its result.
template <class F, class Result, class Args>
class typed_endpoint {
  using params = params_of<Args>;
  static constexpr auto all = std::make_index_sequence<std::tuple_size_v<Args>>{};

 public:
  typed_endpoint(F handler, std::shared_ptr<const operation> op) : handler_(std::move(handler)), op_(std::move(op)) {}

  task<response> operator()(request& req) const { return serve(req, params::dependency_order); }

 private:
  template <std::size_t... J>
  task<response> serve(request& req, std::index_sequence<J...>) const {
    request_inputs inputs;
    if constexpr (params::needs_body) inputs.body_text = co_await req.body(op_->body_limit);
    std::conditional_t<params::needs_form, form_data, std::monostate> form;
    if constexpr (params::needs_form) {
      form = co_await read_form_data(req, form_limits{.max_body_bytes = op_->body_limit});
      inputs.form = &form;
    }
    typename params::stored values;
    validation_errors errors;
    // Dependencies first, as FastAPI solves them: their problems are listed first.
    ((params::template dependency<J>(values) = co_await resolve<params::template provider<J>>(req, inputs, errors)), ...);
    params::read_or_throw(req, inputs, values, errors);
    if constexpr (std::is_same_v<Result, response>) {
      co_return co_await call(values, all);
    } else if constexpr (std::is_void_v<Result>) {
      co_await call(values, all);
      co_return typed_answer(params::response_slot(values), *op_, std::nullopt);
    } else {
      const Result result = co_await call(values, all);
      co_return typed_answer_json(params::response_slot(values), *op_, result);
    }
  }

  // A plain function: the parameters handed over are its temporaries, not the
  // co_await's (GCC 12 destroys those twice).
  template <std::size_t... I>
  task<Result> call([[maybe_unused]] typename params::stored& values, std::index_sequence<I...>) const {
    return handler_(hand_over<std::tuple_element_t<I, Args>>(std::get<I>(values))...);
  }

  F handler_;
  std::shared_ptr<const operation> op_;
};

}  // namespace detail

// A route's handler and what its signature says (see above).
struct endpoint {
  handler_fn handler;
  std::shared_ptr<operation> op;
};

template <class Handler>
endpoint make_endpoint(Handler&& handler) {
  using F = std::decay_t<Handler>;
  std::shared_ptr<operation> op = new_operation();
  if constexpr (std::is_invocable_r_v<task<response>, F&, request&>) {
    return {handler_fn(std::forward<Handler>(handler)), std::move(op)};
  } else {
    static_assert(detail::signature_known<F>(),
                  "cogi: a route handler's parameters need types: write [](cogi::request& req) -> cogi::task<> "
                  "or typed parameters such as cogi::query<\"q\", int> (auto parameters cannot be read from a "
                  "request)");
    if constexpr (detail::signature_known<F>()) {
      using sig = detail::signature<F>;
      static_assert(detail::awaitable_result<typename sig::result>::is_awaitable,
                    "cogi: a route handler must be a coroutine: declare it -> cogi::task<T> and co_return its "
                    "result (a handler that returns without co_return would block its loop)");
      if constexpr (detail::awaitable_result<typename sig::result>::is_awaitable) {
        using result = typename detail::awaitable_result<typename sig::result>::type;
        static_assert(detail::valid_result<result>(),
                      "cogi: a handler returns cogi::task<cogi::response>, cogi::task<void> (204), or cogi::task<T> "
                      "for a T written as JSON: a model described with COGI_MODEL, or a vector, optional, map, "
                      "string, number or bool");
        using params = detail::params_of<typename sig::args>;
        static_assert(params::check());
        op->typed = true;
        op->returns_value = !std::is_same_v<result, response> && !std::is_void_v<result>;
        if constexpr (!std::is_same_v<result, response> && !std::is_void_v<result>)
          op->result_schema = &models::write_schema<result>;
        params::describe(*op);
        detail::typed_endpoint<F, result, typename sig::args> typed(std::forward<Handler>(handler), op);
        return {handler_fn(std::move(typed)), std::move(op)};
      }
    }
  }
}

}  // namespace cogi
