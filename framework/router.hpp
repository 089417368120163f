#pragma once
// router: the table from (method, path) to handler, plus mounted apps and route names.
//
//   cogi::router users;
//   users.get("/{id:int}", get_user, "user");
//   users.post("/", create_user);
//   app.include("/users", users, "users");        // GET /users/7
//   const std::string path = app.url_path_for("users:user", {{"id", "7"}});  // "/users/7"
//
// Lookups go through a segment tree (route_tree.hpp), so their cost does not grow with
// the number of routes. Routes are registered before the server starts; the table is
// read-only while requests run. Once an app has been handed to run() or a test_client
// (or a router to include()), what is served is a copy: adding to the original then
// throws std::logic_error instead of being silently ignored.

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/framework/path_pattern.hpp"
#include "cogi/framework/request.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/route_tree.hpp"
#include "cogi/framework/task.hpp"
#include "cogi/framework/typed/endpoint.hpp"
#include "cogi/framework/typed/operation.hpp"
#include "cogi/framework/websocket.hpp"
#include "cogi/server/contract/app.hpp"

namespace cogi {

struct route_entry {
  path_pattern pattern;
  method_set methods;
  handler_fn handler;
  std::string name;
  // The bytes of the pattern a router include() put in front: the handler sees them as
  // part of scope.root_path, as a mounted Starlette router would.
  std::size_t mount_prefix_size = 0;
  // What the handler's signature and route_ref said (shared by include()'s copies);
  // null for a WebSocket route, which OpenAPI does not describe.
  std::shared_ptr<operation> op;
  // Set for a WebSocket route (then `handler` is empty and `methods` says GET).
  websocket_handler_fn websocket_handler;
};

class router;

// What adding a route returns: the route, to say more about it (any order, each
// optional). The status applies to typed handlers' results; the rest documents the
// route in /openapi.json.
//
//   app.post("/notes", create_note).status(201).summary("Create a note").tags({"notes"});
class route_ref {
 public:
  route_ref(router& owner, std::size_t index) : owner_(&owner), index_(index) {}

  // The status of a successful answer: 200 by default (204 for a task<void> handler).
  route_ref& status(int code);
  route_ref& summary(std::string text);
  route_ref& description(std::string text);
  route_ref& tags(std::initializer_list<std::string_view> names);
  route_ref& deprecated(bool yes = true);
  // Leaves the route out of /openapi.json.
  route_ref& hidden();
  // The name for url_path_for().
  route_ref& name(std::string route_name);
  // Body size accepted by a cogi::body<T> parameter (1 MiB by default); more is a 413.
  route_ref& body_limit(std::size_t bytes);

 private:
  operation& op() const;
  router* owner_;
  std::size_t index_;
};

struct mounted_app {
  std::string prefix;
  app_fn app;
  std::string name;
  // What the server's metrics call every request under the prefix ("/static/{path:path}"):
  // a mounted app's own routes are relative to the prefix, so they do not replace it.
  std::string route_label;
};

class router {
 public:
  using params = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // A handler is a plain one, (cogi::request&) -> cogi::task<>, or a typed one whose
  // parameters and result are read and written for it (typed/endpoint.hpp).
  template <class Handler>
  route_ref get(std::string_view pattern, Handler&& handler, std::string name = {}) {
    return route(pattern, {"GET"}, std::forward<Handler>(handler), std::move(name));
  }
  template <class Handler>
  route_ref post(std::string_view pattern, Handler&& handler, std::string name = {}) {
    return route(pattern, {"POST"}, std::forward<Handler>(handler), std::move(name));
  }
  template <class Handler>
  route_ref put(std::string_view pattern, Handler&& handler, std::string name = {}) {
    return route(pattern, {"PUT"}, std::forward<Handler>(handler), std::move(name));
  }
  template <class Handler>
  route_ref patch(std::string_view pattern, Handler&& handler, std::string name = {}) {
    return route(pattern, {"PATCH"}, std::forward<Handler>(handler), std::move(name));
  }
  template <class Handler>
  route_ref delete_(std::string_view pattern, Handler&& handler, std::string name = {}) {
    return route(pattern, {"DELETE"}, std::forward<Handler>(handler), std::move(name));
  }
  // Any methods, e.g. {"GET", "POST"}. GET routes also answer HEAD.
  template <class Handler>
  route_ref route(std::string_view pattern, std::initializer_list<std::string_view> methods, Handler&& handler,
                  std::string name = {}) {
    return add(pattern, methods, make_endpoint(std::forward<Handler>(handler)), std::move(name));
  }

  // A WebSocket route (websocket.hpp): handler(cogi::websocket&) -> cogi::task<void>.
  // WebSocket requests match only these, and HTTP requests only the others; a mount
  // takes both.
  route_ref websocket(std::string_view pattern, websocket_handler_fn handler, std::string name = {});
  // Copies `other`'s routes and mounts under `prefix` ("" or "/" for the root, "/api"). Their names get
  // `name + ":"` in front when `name` is given.
  router& include(std::string_view prefix, const router& other, std::string name = {});
  // Hands every path under `prefix` to another app (any contract app: static files,
  // another framework app). It sees scope.root_path extended by the prefix. Routes take
  // precedence over mounts; the longest prefix wins among mounts.
  router& mount(std::string_view prefix, app_fn app, std::string name = {});

  // The path of a named route (reverse routing), "name" or "mount:name". Throws
  // std::invalid_argument for an unknown name or parameters that do not fit.
  std::string url_path_for(std::string_view name, params values = {}) const;

  // What a lookup found: a route, a mount, or neither (404 or 405).
  struct resolution {
    const route_entry* route = nullptr;
    const mounted_app* mount = nullptr;
    std::size_t mount_prefix_size = 0;  // for a mount: the path bytes its prefix covers
    route_tree::match match;
  };
  // Finds what serves `method` at `route_path` (the path without root_path).
  void resolve(std::string_view route_path, std::string_view method, resolution& out) const;
  // Finds the WebSocket route (or mount) for `route_path`.
  void resolve_websocket(std::string_view route_path, resolution& out) const;

  const std::vector<route_entry>& routes() const { return routes_; }
  const std::vector<mounted_app>& mounts() const { return mounts_; }

 protected:
  // Marks this router as copied into something that serves it: later additions throw.
  void seal(std::string_view by) const { sealed_by_ = by; }
  // Throws std::logic_error if the router is sealed (`what`: "a route", "middleware").
  void check_not_sealed(std::string_view what) const;

 private:
  friend class route_ref;
  route_ref add(std::string_view pattern, std::initializer_list<std::string_view> methods, endpoint e,
                std::string name);
  void add(route_entry r);
  void find_in(const route_tree& tree, std::string_view route_path, std::string_view method, resolution& out) const;

  std::vector<route_entry> routes_;
  std::vector<mounted_app> mounts_;
  route_tree tree_;
  route_tree websocket_tree_;  // WebSocket routes: a path of their own, never a 405
  // Where the copy that is served went ("run() or a test_client", "include()"); empty
  // while the router is still open.
  mutable std::string_view sealed_by_;
};

}  // namespace cogi
