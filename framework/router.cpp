#include "cogi/framework/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace cogi {
namespace {

method_set methods_of(std::initializer_list<std::string_view> names) {
  method_set set;
  for (auto m : names) set.add(m);
  return set;
}

// "/api" + "/users" -> "/api/users"; "/api" + "/" -> "/api" (Starlette's Mount does the same).
std::string join(std::string_view prefix, std::string_view pattern) {
  if (prefix.empty()) return std::string(pattern);
  if (pattern == "/") return std::string(prefix);
  return std::string(prefix) + std::string(pattern);
}

// A prefix as stored: "" for the root ("/" means the same, as in Starlette's Mount), else
// "/a" or "/a/b". Throws std::invalid_argument for anything else.
std::string_view checked_prefix(std::string_view prefix) {
  if (prefix == "/") return {};
  if (!prefix.empty() && (prefix.front() != '/' || prefix.back() == '/'))
    throw std::invalid_argument("a prefix starts with '/' and does not end with one: " + std::string(prefix));
  return prefix;
}

}  // namespace

void router::check_not_sealed(std::string_view what) const {
  if (sealed_by_.empty()) return;
  throw std::logic_error(std::string(what) + " added after the app was handed to " + std::string(sealed_by_) +
                         " would never be served: register everything first");
}

void router::add(route_entry r) {
  check_not_sealed("a route (" + std::string(r.pattern.text()) + ")");
  (r.websocket_handler ? websocket_tree_ : tree_).insert(r.pattern, r.methods, routes_.size());
  routes_.push_back(std::move(r));
}

route_ref router::add(std::string_view pattern, std::initializer_list<std::string_view> methods, endpoint e,
                     std::string name) {
  path_pattern parsed(pattern);
  // A path<"id"> the pattern has no {id} for would be missing on every request: say so now.
  for (const auto& p : e.op->parameters) {
    if (p.source != param_source::path) continue;
    const auto& names = parsed.param_names();
    if (std::find(names.begin(), names.end(), p.name) == names.end())
      throw std::invalid_argument("route " + std::string(pattern) + ": the handler's cogi::path<\"" +
                                  std::string(p.name) + "\"> parameter is not in the pattern");
  }
  add(route_entry{std::move(parsed), methods_of(methods), std::move(e.handler), std::move(name), 0, std::move(e.op), {}});
  return route_ref(*this, routes_.size() - 1);
}

route_ref router::websocket(std::string_view pattern, websocket_handler_fn handler, std::string name) {
  if (!handler) throw std::invalid_argument("a WebSocket route needs a handler: " + std::string(pattern));
  add(route_entry{path_pattern(pattern), methods_of({"GET"}), {}, std::move(name), 0, nullptr, std::move(handler)});
  return route_ref(*this, routes_.size() - 1);
}

operation& route_ref::op() const {
  owner_->check_not_sealed("a route's details");
  const auto& op = owner_->routes_[index_].op;
  if (!op) throw std::logic_error("a WebSocket route has no OpenAPI details: only name() applies to it");
  return *op;
}

route_ref& route_ref::status(int code) {
  if (code < 100 || code > 599) throw std::invalid_argument("a status code is from 100 to 599");
  op().status = code;
  return *this;
}
route_ref& route_ref::summary(std::string text) {
  op().summary = std::move(text);
  return *this;
}
route_ref& route_ref::description(std::string text) {
  op().description = std::move(text);
  return *this;
}
route_ref& route_ref::tags(std::initializer_list<std::string_view> names) {
  auto& list = op().tags;
  list.assign(names.begin(), names.end());
  return *this;
}
route_ref& route_ref::deprecated(bool yes) {
  op().deprecated = yes;
  return *this;
}
route_ref& route_ref::hidden() {
  op().in_schema = false;
  return *this;
}
route_ref& route_ref::name(std::string route_name) {
  owner_->check_not_sealed("a route's name");
  owner_->routes_[index_].name = std::move(route_name);
  return *this;
}
route_ref& route_ref::body_limit(std::size_t bytes) {
  op().body_limit = bytes;
  return *this;
}

router& router::include(std::string_view prefix, const router& other, std::string name) {
  prefix = checked_prefix(prefix);
  other.seal("include() (as a copy)");
  const std::string scope_name = name.empty() ? std::string() : name + ":";
  for (const auto& r : other.routes_) {
    add(route_entry{path_pattern(join(prefix, r.pattern.text())), r.methods, r.handler,
                    r.name.empty() ? std::string() : scope_name + r.name, prefix.size() + r.mount_prefix_size, r.op,
                    r.websocket_handler});
  }
  for (const auto& m : other.mounts_)
    mount(join(prefix, m.prefix), m.app, m.name.empty() ? std::string() : scope_name + m.name);
  return *this;
}

router& router::mount(std::string_view prefix, app_fn app, std::string name) {
  prefix = checked_prefix(prefix);
  check_not_sealed("a mount (" + std::string(prefix) + ")");
  tree_.insert_mount(prefix.empty() ? "/" : prefix, mounts_.size());
  mounts_.push_back(mounted_app{std::string(prefix), std::move(app), std::move(name),
                                std::string(prefix) + "/{path:path}"});
  return *this;
}

std::string router::url_path_for(std::string_view name, params values) const {
  const std::span<const std::pair<std::string_view, std::string_view>> list(values.begin(), values.size());
  for (const auto& r : routes_)
    if (r.name == name) return r.pattern.build(list);
  for (const auto& m : mounts_)
    if (m.name == name) return m.prefix.empty() ? "/" : m.prefix;
  throw std::invalid_argument("no route named '" + std::string(name) + "'");
}

void router::resolve(std::string_view route_path, std::string_view method, resolution& out) const {
  find_in(tree_, route_path, method, out);
}

void router::resolve_websocket(std::string_view route_path, resolution& out) const {
  find_in(websocket_tree_, route_path, "GET", out);
}

void router::find_in(const route_tree& tree, std::string_view route_path, std::string_view method,
                     resolution& out) const {
  out.route = nullptr;
  out.mount = nullptr;
  tree.find(route_path, method, out.match);
  if (out.match.route != route_tree::match::none) {
    out.route = &routes_[out.match.route];
    return;
  }
  if (out.match.path_matched || mounts_.empty()) return;
  const auto found = tree_.find_mount(route_path);
  if (found.mount != route_tree::match::none) {
    out.mount = &mounts_[found.mount];
    out.mount_prefix_size = found.prefix_size;
  }
}

}  // namespace cogi
