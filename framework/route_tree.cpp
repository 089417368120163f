#include "cogi/framework/route_tree.hpp"

#include <algorithm>
#include <stdexcept>

namespace cogi {
namespace {

// The standard methods (RFC 9110 §9 and PATCH), one bit each.
constexpr std::array<std::string_view, 9> known_methods = {"GET",  "HEAD",    "POST",  "PUT",    "DELETE",
                                                           "PATCH", "OPTIONS", "TRACE", "CONNECT"};

int known_index(std::string_view method) {
  for (std::size_t i = 0; i < known_methods.size(); ++i)
    if (known_methods[i] == method) return static_cast<int>(i);
  return -1;
}

// Heterogeneous lookup: find a std::string key with a string_view, without a copy.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

}  // namespace

void method_set::add(std::string_view method) {
  const int i = known_index(method);
  if (i >= 0) {
    bits_ |= 1u << i;
  } else if (!contains(method)) {
    others_.emplace_back(method);
  }
}

bool method_set::contains(std::string_view method) const {
  const int i = known_index(method);
  if (i >= 0) return (bits_ >> i) & 1u;
  return std::find(others_.begin(), others_.end(), method) != others_.end();
}

bool method_set::intersects(const method_set& other) const {
  if (bits_ & other.bits_) return true;
  return std::any_of(others_.begin(), others_.end(), [&](const std::string& m) { return other.contains(m); });
}

void method_set::merge(const method_set& other) {
  bits_ |= other.bits_;
  for (const auto& m : other.others_) add(m);
}

void method_set::append_allow(std::string& out) const {
  auto bits = bits_;
  if (bits & 1u) bits |= 2u;  // GET brings HEAD
  for (std::size_t i = 0; i < known_methods.size(); ++i) {
    if (!((bits >> i) & 1u)) continue;
    if (!out.empty()) out += ", ";
    out += known_methods[i];
  }
  for (const auto& m : others_) {
    if (!out.empty()) out += ", ";
    out += m;
  }
}

struct route_tree::node {
  struct leaf_route {
    method_set methods;
    std::size_t route;
  };
  std::unordered_map<std::string, std::unique_ptr<node>, string_hash, std::equal_to<>> literals;
  // int, float, uuid, str: one child per type (see param_type's order).
  std::array<std::unique_ptr<node>, 4> params;
  std::vector<leaf_route> routes;       // routes whose pattern ends here
  std::vector<leaf_route> rest_routes;  // routes ending here with a {name:path} segment
  std::size_t mount = match::none;

  std::unique_ptr<node> clone() const {
    auto copy = std::make_unique<node>();
    for (const auto& [segment, child] : literals) copy->literals.emplace(segment, child->clone());
    for (std::size_t i = 0; i < params.size(); ++i)
      if (params[i]) copy->params[i] = params[i]->clone();
    copy->routes = routes;
    copy->rest_routes = rest_routes;
    copy->mount = mount;
    return copy;
  }

  static const leaf_route* pick(const std::vector<leaf_route>& routes, std::string_view method) {
    for (const auto& r : routes)
      if (r.methods.contains(method) || (method == "HEAD" && r.methods.contains("GET"))) return &r;
    return nullptr;
  }
};

struct route_tree::walk_state {
  std::string_view method;
  match& out;
  std::array<std::string_view, max_params> values{};
  std::size_t count = 0;

  // Whether the path's routes at this leaf take the method. Records the first matching
  // path's methods for a 405 either way.
  bool offer(const std::vector<node::leaf_route>& routes) {
    if (routes.empty()) return false;
    for (const auto& r : routes) out.allowed.merge(r.methods);
    out.path_matched = true;
    const auto* chosen = node::pick(routes, method);
    if (!chosen) return false;
    out.route = chosen->route;
    out.values = values;
    out.value_count = count;
    return true;
  }
};

route_tree::route_tree() : root_(std::make_unique<node>()) {}
route_tree::~route_tree() = default;
route_tree::route_tree(const route_tree& other) : root_(other.root_->clone()) {}
route_tree& route_tree::operator=(const route_tree& other) {
  if (this != &other) root_ = other.root_->clone();
  return *this;
}
route_tree::route_tree(route_tree&&) noexcept = default;
route_tree& route_tree::operator=(route_tree&&) noexcept = default;

void route_tree::insert(const path_pattern& pattern, const method_set& methods, std::size_t route) {
  if (pattern.param_names().size() > max_params)
    throw std::invalid_argument("more than 8 parameters in route " + pattern.text());
  node* at = root_.get();
  std::vector<node::leaf_route>* leaf = &at->routes;
  for (const auto& segment : pattern.segments()) {
    if (segment.is_param && segment.type == param_type::path) {
      leaf = &at->rest_routes;
      break;
    }
    std::unique_ptr<node>* child = nullptr;
    if (segment.is_param) {
      child = &at->params[static_cast<std::size_t>(segment.type)];
    } else {
      auto found = at->literals.find(segment.literal);
      child = found != at->literals.end() ? &found->second : &at->literals[segment.literal];
    }
    if (!*child) *child = std::make_unique<node>();
    at = child->get();
    leaf = &at->routes;
  }
  for (const auto& existing : *leaf)
    if (existing.methods.intersects(methods))
      throw std::invalid_argument("route " + pattern.text() + " is already registered for one of its methods");
  leaf->push_back({methods, route});
}

void route_tree::insert_mount(std::string_view prefix, std::size_t mount) {
  const path_pattern pattern(prefix);
  node* at = root_.get();
  for (const auto& segment : pattern.segments()) {
    if (segment.is_param) throw std::invalid_argument("a mount prefix must be literal: " + std::string(prefix));
    auto& child = at->literals[segment.literal];
    if (!child) child = std::make_unique<node>();
    at = child.get();
  }
  if (at->mount != match::none) throw std::invalid_argument("two apps mounted at " + std::string(prefix));
  at->mount = mount;
}

// `pos` is where the next segment starts in `path`, or npos when the path is used up.
bool route_tree::walk(const node& at, std::string_view path, std::size_t pos, walk_state& state) {
  if (pos == std::string_view::npos) return state.offer(at.routes);
  const auto slash = path.find('/', pos);
  const auto segment = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
  const auto next = slash == std::string_view::npos ? std::string_view::npos : slash + 1;

  if (auto found = at.literals.find(segment); found != at.literals.end() && walk(*found->second, path, next, state))
    return true;
  if (state.count < max_params) {
    for (std::size_t type = 0; type < at.params.size(); ++type) {
      const auto& child = at.params[type];
      if (!child || !matches_type(static_cast<param_type>(type), segment)) continue;
      state.values[state.count++] = segment;
      if (walk(*child, path, next, state)) return true;
      --state.count;
    }
    if (!at.rest_routes.empty()) {
      state.values[state.count++] = path.substr(pos);
      if (state.offer(at.rest_routes)) return true;
      --state.count;
    }
  }
  return false;
}

void route_tree::find(std::string_view path, std::string_view method, match& out) const {
  out.route = match::none;
  out.path_matched = false;
  out.allowed = {};
  out.value_count = 0;
  if (path.empty() || path.front() != '/') return;
  walk_state state{method, out};
  walk(*root_, path, path.size() == 1 ? std::string_view::npos : 1, state);
}

route_tree::mount_match route_tree::find_mount(std::string_view path) const {
  mount_match best;
  const node* at = root_.get();
  if (at->mount != match::none) best = {at->mount, 0};
  std::size_t pos = 1;
  while (pos <= path.size() && pos != 0) {
    const auto slash = path.find('/', pos);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto found = at->literals.find(path.substr(pos, end - pos));
    if (found == at->literals.end()) break;
    at = found->second.get();
    if (at->mount != match::none) best = {at->mount, end};
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return best;
}

}  // namespace cogi
