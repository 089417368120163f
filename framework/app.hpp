#pragma once
// app: what a cogi program builds. A router, plus middleware, exception handlers and
// lifespan hooks; it converts to the contract's app_fn for the server or the test client.
//
//   int main(int argc, char** argv) {
//     cogi::app app;
//     app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("Hello, World!"); });
//     return cogi::run(app, argc, argv);
//   }
//
// A request's way: contract middleware -> root_path stripped -> route lookup (a mount
// takes over here) -> request-level middleware -> the handler -> the response
// sent through the contract. Exceptions anywhere in the middle become responses (see
// exception_handlers.hpp); 404 and 405 (with Allow) are http_exceptions too, so custom
// handlers can render them. HEAD is served by GET routes, and OPTIONS on a known path
// answers 204 with Allow.
//
// Converting to app_fn takes a snapshot: register everything first (adding anything
// afterwards throws std::logic_error, rather than being silently left out).

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/framework/exception_handlers.hpp"
#include "cogi/framework/middleware.hpp"
#include "cogi/framework/openapi/openapi.hpp"
#include "cogi/framework/router.hpp"
#include "cogi/framework/task.hpp"

namespace cogi {

class app : public router {
 public:
  using lifespan_hook = std::function<asio::awaitable<void>(state_map&)>;

  // Adds a middleware, of either form (middleware.hpp): a built-in
  // (app.use(cogi::gzip())), a contract wrapper (app_fn) -> app_fn, or a
  // request-level coroutine (cogi::request&, cogi::next_fn) -> cogi::task<>. Contract
  // middleware see every request before routing, so they run outside the request-level
  // ones; within each form, the first added is the outermost.
  template <class Middleware>
  app& use(Middleware&& middleware) {
    using M = std::decay_t<Middleware>;
    if constexpr (std::is_invocable_r_v<task<response>, M&, request&, next_fn>) {
      add_request_middleware(middleware_fn(std::forward<Middleware>(middleware)));
    } else if constexpr (std::is_invocable_r_v<app_fn, M&, app_fn>) {
      add_contract_middleware(app_wrapper_fn(std::forward<Middleware>(middleware)));
    } else {
      static_assert(sizeof(M) == 0,
                    "cogi: app.use() takes a middleware: a built-in from cogi/middleware/ such as "
                    "cogi::gzip(), a coroutine (cogi::request&, cogi::next_fn) -> cogi::task<>, "
                    "or a wrapper (cogi::app_fn) -> cogi::app_fn");
    }
    return *this;
  }

  // A handler for exceptions of type E (and types derived from it).
  template <class E>
  app& exception_handler(exception_handlers::handler_for<E> handler) {
    check_not_sealed("an exception handler");
    errors_.add<E>(std::move(handler));
    return *this;
  }

  // Run on each loop before it accepts connections, with that loop's state
  // (scope.state); an exception fails the startup with its message. Shutdown hooks run
  // after the loop's connections closed, in reverse order.
  app& on_startup(lifespan_hook hook);
  app& on_shutdown(lifespan_hook hook);

  // Serves the OpenAPI document of the routes and the Swagger UI page
  // (openapi/openapi.hpp), written when the app starts serving.
  app& openapi(openapi_options options = {});

  // The contract app serving a snapshot of this one.
  app_fn to_app_fn() const;
  operator app_fn() const { return to_app_fn(); }  // NOLINT: cogi::run(app, ...) reads best

  // The contract entry point, without the contract middleware (to_app_fn adds them).
  asio::awaitable<void> serve(scope& scope, receive_fn receive, send_fn send) const;

 private:
  void add_request_middleware(middleware_fn middleware);
  void add_contract_middleware(app_wrapper_fn wrapper);
  asio::awaitable<void> run_lifespan(scope& scope, receive_fn receive, send_fn send) const;
  asio::awaitable<void> serve_http(scope& scope, receive_fn receive, send_fn send) const;
  asio::awaitable<void> serve_websocket(scope& scope, receive_fn receive, send_fn send) const;
  static asio::awaitable<void> refuse_websocket(send_fn send);
  static asio::awaitable<void> run_websocket_route(const route_entry& route, scope& scope, receive_fn receive,
                                                   send_fn send, std::vector<std::string_view> path_values);
  task<response> respond_to(request& req, const resolution& found) const;
  task<response> call_middleware_guarded(request& req, const resolution& found) const;
  static void report_route(scope& scope, const resolution& found);
  // `mount` is the app's own: it outlives the call.
  static asio::awaitable<void> call_mount(scope& scope, receive_fn receive, send_fn send, const mounted_app& mount,
                                          std::size_t prefix_size);
  task<response> call_middleware(std::size_t index, request& req, const resolution& found) const;
  task<response> call_endpoint(request& req, const resolution& found) const;
  task<response> unmatched(request& req, const resolution& found) const;
  // The response for `error`, or `error` thrown when an exception handler renders it.
  response http_error(http_exception error) const;

  std::vector<middleware_fn> middleware_;
  std::vector<app_wrapper_fn> wrappers_;
  exception_handlers errors_;
  std::vector<lifespan_hook> startup_;
  std::vector<lifespan_hook> shutdown_;
  std::shared_ptr<openapi_state> openapi_;
};

}  // namespace cogi
