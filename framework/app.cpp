#include "cogi/framework/app.hpp"

#include <exception>
#include <stdexcept>
#include <string>

#include "cogi/framework/http_exception.hpp"

namespace cogi {
namespace {

// The path the routes see: scope.path without scope.root_path (uvicorn puts the root
// path in front of path; Starlette strips it the same way).
std::string_view route_path_of(const scope& sc) {
  const std::string_view path = sc.path, root = sc.root_path;
  if (root.empty() || !path.starts_with(root)) return path;
  if (path.size() == root.size()) return "/";
  if (path[root.size()] != '/') return path;  // "/apix" is not under "/api"
  return path.substr(root.size());
}

// The part of scope.path that is root_path, or 0 when the path is not under it.
std::size_t root_size_of(const scope& sc) {
  return route_path_of(sc).size() == sc.path.size() ? 0 : sc.root_path.size();
}

}  // namespace

void app::add_request_middleware(middleware_fn middleware) {
  check_not_sealed("middleware");
  middleware_.push_back(std::move(middleware));
}

void app::add_contract_middleware(app_wrapper_fn wrapper) {
  check_not_sealed("middleware");
  wrappers_.push_back(std::move(wrapper));
}

app& app::on_startup(lifespan_hook hook) {
  check_not_sealed("a startup hook");
  startup_.push_back(std::move(hook));
  return *this;
}

app& app::on_shutdown(lifespan_hook hook) {
  check_not_sealed("a shutdown hook");
  shutdown_.push_back(std::move(hook));
  return *this;
}

app& app::openapi(openapi_options options) {
  check_not_sealed("openapi()");
  if (openapi_) throw std::logic_error("openapi() is called once per app");
  openapi_ = std::make_shared<openapi_state>();
  openapi_->options = std::move(options);
  add_openapi_routes(*this, openapi_);
  return *this;
}

app_fn app::to_app_fn() const {
  // Written once, from every route (none can be added from here on), before any loop
  // reads it.
  if (openapi_ && openapi_->document.empty()) openapi_->document = openapi_document(*this, openapi_->options);
  auto snapshot = std::make_shared<const app>(*this);
  seal("run() or a test_client (as a copy)");
  app_fn fn = [snapshot](scope& sc, receive_fn receive, send_fn send) { return snapshot->serve(sc, receive, send); };
  for (auto it = wrappers_.rbegin(); it != wrappers_.rend(); ++it) fn = (*it)(std::move(fn));
  return fn;
}

// The coroutine frames on a request's way are few and small on purpose: each costs
// time to set up, and Asio recycles frames of up to about 1 KiB only (a larger one costs
// a malloc per request, and evicts a cached frame, which costs another). Hence plain
// functions where no co_await is needed, and the mount path in a frame of its own.
asio::awaitable<void> app::serve(scope& sc, receive_fn receive, send_fn send) const {
  if (sc.type == scope_type::lifespan) return run_lifespan(sc, receive, send);
  if (sc.type == scope_type::websocket) return serve_websocket(sc, receive, send);
  return serve_http(sc, receive, send);
}

// A WebSocket request: its route's handler, or a mount; no route is a refusal (403), as
// in Starlette. Request-level middleware and exception handlers answer HTTP requests
// only: a handler's exception reaches the server, which closes with 1011 (a 500 before
// accept); a client that left (websocket_disconnect) is a normal end.
//
// A plain function: the lookup's state (a few hundred bytes) would otherwise stay in a
// coroutine frame for as long as the connection, and an idle WebSocket must cost little
// (docs/websocket.md, memory). Only the parameter values go on, copied.
asio::awaitable<void> app::serve_websocket(scope& sc, receive_fn receive, send_fn send) const {
  resolution found;
  resolve_websocket(route_path_of(sc), found);
  report_route(sc, found);
  if (found.mount) return call_mount(sc, receive, send, *found.mount, found.mount_prefix_size);
  if (!found.route) return refuse_websocket(send);
  const route_entry& r = *found.route;
  if (r.mount_prefix_size > 0) sc.root_path = sc.path.substr(0, root_size_of(sc) + r.mount_prefix_size);
  const auto values = found.match.captured();
  return run_websocket_route(r, sc, receive, send, std::vector<std::string_view>(values.begin(), values.end()));
}

asio::awaitable<void> app::refuse_websocket(send_fn send) {
  const websocket_close refusal{};
  co_await send(refusal);
}

asio::awaitable<void> app::run_websocket_route(const route_entry& r, scope& sc, receive_fn receive, send_fn send,
                                               std::vector<std::string_view> path_values) {
  cogi::websocket ws(sc, receive, send);
  ws.set_path_params(cogi::path_params(&r.pattern.param_names(), path_values));
  try {
    co_await r.websocket_handler(ws);
  } catch (const websocket_disconnect&) {
    // receive_text() and the like throw it when the client has gone: the handler ends.
  }
}

asio::awaitable<void> app::serve_http(scope& sc, receive_fn receive, send_fn send) const {
  resolution found;
  resolve(route_path_of(sc), sc.method, found);
  report_route(sc, found);
  if (found.mount) co_return co_await call_mount(sc, receive, send, *found.mount, found.mount_prefix_size);
  request req(sc, receive);
  response res = co_await respond_to(req, found);
  co_await send_response(res, req, send);
  // Background tasks, then the dependencies' cleanup: after the response is out.
  if (request_lifetime* lifetime = req.lifetime_if_any()) co_await lifetime->finish();
}

// Tells the server which route serves the request (scope.report: its metrics label
// requests by route template, never by raw path). An enclosing app's mount has already
// named the route: a mounted app's own templates lack the mount's prefix.
void app::report_route(scope& sc, const resolution& found) {
  if (sc.report == nullptr || !sc.report->route.empty()) return;
  if (found.route) {
    sc.report->route = found.route->pattern.text();
  } else if (found.mount) {
    sc.report->route = found.mount->route_label;
  }
}

task<response> app::respond_to(request& req, const resolution& found) const {
  // call_endpoint turns the handler's exceptions into responses itself.
  if (middleware_.empty()) return call_endpoint(req, found);
  return call_middleware_guarded(req, found);
}

task<response> app::call_middleware_guarded(request& req, const resolution& found) const {
  std::exception_ptr failure;
  try {
    co_return co_await call_middleware(0, req, found);
  } catch (...) {
    failure = std::current_exception();  // from a middleware itself (no co_await in a handler)
  }
  co_return co_await errors_.respond(req, failure);
}

asio::awaitable<void> app::call_mount(scope& sc, receive_fn receive, send_fn send, const mounted_app& mount,
                                      std::size_t prefix_size) {
  // The mounted app sees the full path and a root_path that ends at its prefix.
  scope child = sc;
  child.root_path = sc.path.substr(0, root_size_of(sc) + prefix_size);
  co_await mount.app(child, receive, send);
}

task<response> app::call_middleware(std::size_t index, request& req, const resolution& found) const {
  if (index == middleware_.size()) co_return co_await call_endpoint(req, found);
  auto next = [this, index, &found](request& r) { return call_middleware(index + 1, r, found); };
  const next_fn next_ref(next);
  co_return co_await middleware_[index](req, next_ref);
}

task<response> app::call_endpoint(request& req, const resolution& found) const {
  std::exception_ptr failure;
  try {
    if (!found.route) co_return co_await unmatched(req, found);
    const route_entry& r = *found.route;
    req.set_path_params(cogi::path_params(&r.pattern.param_names(), found.match.captured()));
    if (r.mount_prefix_size > 0) {
      scope& sc = req.scope();
      sc.root_path = sc.path.substr(0, root_size_of(sc) + r.mount_prefix_size);
    }
    co_return co_await r.handler(req);
  } catch (...) {
    failure = std::current_exception();
  }
  co_return co_await errors_.respond(req, failure);
}

task<response> app::unmatched(request& req, const resolution& found) const {
  const std::string_view method = req.method();
  if (found.match.path_matched) {
    std::string allow;
    found.match.allowed.append_allow(allow);
    if (method == "OPTIONS") {
      allow += ", OPTIONS";
      response res(204);
      res.headers.add("allow", allow);
      co_return res;
    }
    co_return http_error(http_exception(405, {}, {{"allow", allow}}));
  }
  // "/users/" for a "/users" route (or the other way round): redirect, as Starlette's
  // redirect_slashes does, for the methods a redirect cannot lose a body on.
  const std::string_view path = route_path_of(req.scope());
  if ((method == "GET" || method == "HEAD") && path != "/") {
    std::string other(path);
    if (other.back() == '/') {
      other.pop_back();
    } else {
      other.push_back('/');
    }
    resolution retry;
    resolve(other, method, retry);
    if (retry.route) {
      const scope& sc = req.scope();
      std::string location(sc.raw_path.substr(0, sc.raw_path.size() - (sc.raw_path.ends_with('/') ? 1 : 0)));
      if (!sc.raw_path.ends_with('/')) location.push_back('/');
      if (!sc.query_string.empty()) location.append("?").append(sc.query_string);
      co_return redirect(location, 307);
    }
  }
  co_return http_error(http_exception(404));
}

response app::http_error(http_exception error) const {
  // 404 and 405 are http_exceptions, so that an exception handler can render them; only
  // then are they thrown (to reach it).
  if (errors_.renders_http_exceptions()) throw error;
  return http_exception_response(error);
}

asio::awaitable<void> app::run_lifespan(scope& sc, receive_fn receive, send_fn send) const {
  state_map fallback;
  state_map& state = sc.state ? *sc.state : fallback;
  for (int phase = 0; phase < 2; ++phase) {
    const receive_event event = co_await receive();
    const bool startup = event.type == receive_type::lifespan_startup;
    if (!startup && event.type != receive_type::lifespan_shutdown) co_return;
    std::string error;
    try {
      if (startup) {
        for (const auto& hook : startup_) co_await hook(state);
      } else {
        for (auto it = shutdown_.rbegin(); it != shutdown_.rend(); ++it) co_await (*it)(state);
      }
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "lifespan hook failed";
    }
    if (startup) {
      if (error.empty()) {
        co_await send(lifespan_startup_complete{});
      } else {
        const lifespan_startup_failed failed{error};
        co_await send(failed);
        co_return;
      }
    } else {
      if (error.empty()) {
        co_await send(lifespan_shutdown_complete{});
      } else {
        const lifespan_shutdown_failed failed{error};
        co_await send(failed);
      }
      co_return;
    }
  }
}

}  // namespace cogi
