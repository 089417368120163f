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

// The typed adaptor: reads the parameters, calls the handler, writes its result.
template <class F, class Result, class Args>
class typed_endpoint {
  using params = params_of<Args>;
  static constexpr auto all = std::make_index_sequence<std::tuple_size_v<Args>>{};

 public:
  typed_endpoint(F handler, std::shared_ptr<const operation> op) : handler_(std::move(handler)), op_(std::move(op)) {}

  task<response> operator()(request& req) const {
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
    if constexpr (params::dependency_count > 0) co_await params::resolve_dependencies(req, inputs, values, errors);
    params::read(req, inputs, values, errors);
    if (!errors.empty()) throw request_validation_error(std::move(errors));
    if constexpr (std::is_same_v<Result, response>) {
      co_return co_await call(values, all);
    } else if constexpr (std::is_void_v<Result>) {
      co_await call(values, all);
      co_return answer(values, std::string());
    } else {
      const Result result = co_await call(values, all);
      co_return answer(values, to_json(result));
    }
  }

 private:
  // The response for a result (JSON text, or none for task<void>), with what a
  // response& parameter set: its status, else the route's, and its headers.
  response answer(typename params::stored& values, std::string json_text) const {
    response res(0);
    if constexpr (params::response_index < std::tuple_size_v<Args>) res = std::move(std::get<params::response_index>(values).res);
    if (res.status == 0) res.status = op_->success_status();
    if constexpr (!std::is_void_v<Result>) {
      res.headers.set("content-type", "application/json");
      res.set_body(std::move(json_text));
    }
    return res;
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
  auto op = std::make_shared<operation>();
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
