#pragma once
// The two forms of middleware, both added with app.use().
//
// Request-level: sees the request and the response the rest of the chain produced.
//
//   app.use([](cogi::request& req, cogi::next_fn next) -> cogi::task<> {
//     auto res = co_await next(req);
//     res.headers.set("x-frame-options", "DENY");
//     co_return res;
//   });
//
// Contract-level: wraps an app into another app (scope, receive, send), like ASGI
// middleware. It sees every request, mounted apps' too, and can rewrite messages (gzip,
// timeouts, access logs do). Every built-in in cogi/middleware/ is one.
//
//   app.use(cogi::gzip({.minimum_size = 500}));
//   app.use([](cogi::app_fn next) -> cogi::app_fn { return my_wrapper{std::move(next)}; });
//
// Order is explicit: contract-level middleware run before routing, so they are outside
// the request-level ones; within each form the first added is the outermost, so a
// request passes through them in the order they were added, and the response in the
// reverse order.

#include <functional>
#include <memory>

#include <asio/awaitable.hpp>

#include "cogi/framework/request.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/task.hpp"
#include "cogi/server/contract/app.hpp"
#include "cogi/server/contract/function_ref.hpp"

namespace cogi {

// The rest of the chain: later middleware, then the route's handler.
using next_fn = function_ref<task<response>(request&)>;
using middleware_fn = std::function<task<response>(request&, next_fn)>;
using app_wrapper_fn = std::function<app_fn(app_fn)>;

// Builds a contract-level middleware from its options and a coroutine function
//
//   asio::awaitable<void> step(const Options&, const app_fn& next, scope&, receive_fn, send_fn);
//
// The options and `next` live as long as the wrapped app, so `step` may keep
// references to them across its awaits.
template <class Options, class Step>
app_wrapper_fn contract_middleware(Options options, Step step) {
  auto shared = std::make_shared<const Options>(std::move(options));
  return [shared, step](app_fn next) -> app_fn {
    return [shared, step, next = std::move(next)](scope& sc, receive_fn receive, send_fn send) {
      return step(*shared, next, sc, receive, send);
    };
  };
}

}  // namespace cogi
