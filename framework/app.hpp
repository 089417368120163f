#pragma once
// app: what a cogi program builds. A router, plus middleware, exception handlers and
// lifespan hooks; it converts to the contract's app_fn for the server or the test client.
//
//   int main(int argc, char** argv) {
//     cogi::app app;
//     app.get("/", [](cogi::request&) -> asio::awaitable<cogi::response> { co_return cogi::text("Hello, World!"); });
//     return cogi::run(app, argc, argv);
//   }
//
// A request's way: contract wrappers (wrap) -> root_path stripped -> route lookup
// (a mount takes over here) -> request middleware (use) -> the handler -> the response
// sent through the contract. Exceptions anywhere in the middle become responses (see
// exception_handlers.hpp); 404 and 405 (with Allow) are http_exceptions too, so custom
// handlers can render them. HEAD is served by GET routes, and OPTIONS on a known path
// answers 204 with Allow.
//
// Converting to app_fn takes a snapshot: register everything first (adding anything
// afterwards throws std::logic_error, rather than being silently left out).

#include <functional>
#include <memory>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/framework/exception_handlers.hpp"
#include "cogi/framework/middleware.hpp"
#include "cogi/framework/router.hpp"

namespace cogi {

class app : public router {
 public:
  using lifespan_hook = std::function<asio::awaitable<void>(state_map&)>;

  // Request-level middleware; the first added runs first (see middleware.hpp).
  app& use(middleware_fn middleware);
  // Contract-level middleware; the first added is the outermost.
  app& wrap(app_wrapper_fn wrapper);

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

  // The contract app serving a snapshot of this one.
  app_fn to_app_fn() const;
  operator app_fn() const { return to_app_fn(); }  // NOLINT: cogi::run(app, ...) reads best

  // The contract entry point, without the wrap() middleware (to_app_fn adds them).
  asio::awaitable<void> serve(scope& scope, receive_fn receive, send_fn send) const;

 private:
  asio::awaitable<void> run_lifespan(scope& scope, receive_fn receive, send_fn send) const;
  asio::awaitable<void> serve_http(scope& scope, receive_fn receive, send_fn send) const;
  asio::awaitable<response> respond_to(request& req, const resolution& found) const;
  asio::awaitable<response> call_middleware_guarded(request& req, const resolution& found) const;
  static void report_route(scope& scope, const resolution& found);
  asio::awaitable<void> call_mount(scope& scope, receive_fn receive, send_fn send, const resolution& found) const;
  asio::awaitable<response> call_middleware(std::size_t index, request& req, const resolution& found) const;
  asio::awaitable<response> call_endpoint(request& req, const resolution& found) const;
  asio::awaitable<response> unmatched(request& req, const resolution& found) const;
  // The response for `error`, or `error` thrown when an exception handler renders it.
  response http_error(http_exception error) const;

  std::vector<middleware_fn> middleware_;
  std::vector<app_wrapper_fn> wrappers_;
  exception_handlers errors_;
  std::vector<lifespan_hook> startup_;
  std::vector<lifespan_hook> shutdown_;
};

}  // namespace cogi
