#pragma once
// route_tree: finds the route for a path in time that depends on the path's length, not
// on how many routes there are. One node per segment position: literal children in a
// hash map, then one child per parameter type, tried in the order
// literal > int > float > uuid > str > path, backtracking when a branch dead-ends.
//
// The tree knows routes only by index and by their methods; the router owns them.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cogi/framework/path_pattern.hpp"

namespace cogi {

// A set of request methods: the standard ones as bits, others by name.
class method_set {
 public:
  void add(std::string_view method);
  bool contains(std::string_view method) const;
  bool intersects(const method_set& other) const;
  // "GET, HEAD, POST": for the Allow header (HEAD listed wherever GET is).
  void append_allow(std::string& out) const;
  void merge(const method_set& other);

 private:
  std::uint32_t bits_ = 0;
  std::vector<std::string> others_;
};

class route_tree {
 public:
  static constexpr std::size_t max_params = 8;

  route_tree();
  ~route_tree();
  route_tree(const route_tree& other);
  route_tree& operator=(const route_tree& other);
  route_tree(route_tree&&) noexcept;
  route_tree& operator=(route_tree&&) noexcept;

  // Registers route number `route` for `pattern` and `methods`. Throws
  // std::invalid_argument when the same path shape already has one of the methods, or
  // the pattern has more than max_params parameters.
  void insert(const path_pattern& pattern, const method_set& methods, std::size_t route);
  // Registers a mounted app at a literal prefix ("/api", "/static").
  void insert_mount(std::string_view prefix, std::size_t mount);

  struct match {
    static constexpr std::size_t none = SIZE_MAX;
    std::size_t route = none;   // the route that takes the path and the method
    bool path_matched = false;  // some route has this path (method not allowed: 405)
    method_set allowed;         // the methods the path's routes take, for Allow
    std::array<std::string_view, max_params> values{};  // parameter values, in order
    std::size_t value_count = 0;
    std::span<const std::string_view> captured() const { return {values.data(), value_count}; }
  };

  // Finds the route for `path` (starting with '/') and `method`. HEAD also matches GET.
  void find(std::string_view path, std::string_view method, match& out) const;

  struct mount_match {
    std::size_t mount = match::none;
    std::size_t prefix_size = 0;  // bytes of the path the prefix covers
  };
  // The mount with the longest prefix that covers `path` ("/api" covers "/api" and
  // "/api/x", not "/apix").
  mount_match find_mount(std::string_view path) const;

 private:
  struct node;
  struct walk_state;
  static bool walk(const node& at, std::string_view path, std::size_t pos, walk_state& state);

  std::unique_ptr<node> root_;
};

}  // namespace cogi
