#include "cogi/framework/router.hpp"

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
  tree_.insert(r.pattern, r.methods, routes_.size());
  routes_.push_back(std::move(r));
}

router& router::route(std::string_view pattern, std::initializer_list<std::string_view> methods, handler_fn handler,
                      std::string name) {
  add(route_entry{path_pattern(pattern), methods_of(methods), std::move(handler), std::move(name)});
  return *this;
}

router& router::get(std::string_view pattern, handler_fn handler, std::string name) {
  return route(pattern, {"GET"}, std::move(handler), std::move(name));
}
router& router::post(std::string_view pattern, handler_fn handler, std::string name) {
  return route(pattern, {"POST"}, std::move(handler), std::move(name));
}
router& router::put(std::string_view pattern, handler_fn handler, std::string name) {
  return route(pattern, {"PUT"}, std::move(handler), std::move(name));
}
router& router::patch(std::string_view pattern, handler_fn handler, std::string name) {
  return route(pattern, {"PATCH"}, std::move(handler), std::move(name));
}
router& router::delete_(std::string_view pattern, handler_fn handler, std::string name) {
  return route(pattern, {"DELETE"}, std::move(handler), std::move(name));
}

router& router::include(std::string_view prefix, const router& other, std::string name) {
  prefix = checked_prefix(prefix);
  other.seal("include() (as a copy)");
  const std::string scope_name = name.empty() ? std::string() : name + ":";
  for (const auto& r : other.routes_) {
    add(route_entry{path_pattern(join(prefix, r.pattern.text())), r.methods, r.handler,
                    r.name.empty() ? std::string() : scope_name + r.name, prefix.size() + r.mount_prefix_size});
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
  out.route = nullptr;
  out.mount = nullptr;
  tree_.find(route_path, method, out.match);
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
