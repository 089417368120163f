#pragma once
// A route's path pattern: "/users/{id:int}/posts/{slug}" or "/static/{file:path}".
//
// Each '/'-separated segment is a literal or one whole parameter `{name}` or
// `{name:type}`; the types are Starlette's convertors:
//   str    one non-empty segment (the default)
//   int    decimal digits that fit in 64 bits
//   float  digits with an optional fraction: "3", "2.5"
//   uuid   8-4-4-4-12 hex digits
//   path   the rest of the path, slashes included (only as the last segment)
// A value that does not have the type does not match the route (a 404, never a crash).

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogi {

enum class param_type { int_, float_, uuid, str, path };  // in matching priority order

struct path_segment {
  bool is_param = false;
  std::string literal;  // for literal segments
  std::string name;     // for parameters
  param_type type = param_type::str;
};

class path_pattern {
 public:
  // Throws std::invalid_argument for a malformed pattern: no leading '/', an unknown
  // type, a parameter sharing a segment with text, a repeated name, `path` not last.
  explicit path_pattern(std::string_view pattern);

  const std::string& text() const { return text_; }
  const std::vector<path_segment>& segments() const { return segments_; }
  // The parameter names in order of appearance.
  const std::vector<std::string>& param_names() const { return param_names_; }

  // The path for these parameter values (reverse routing), percent-encoded where a
  // value needs it ("a b" -> "a%20b"). Throws std::invalid_argument when a parameter is
  // missing, unknown, or not of its type.
  std::string build(std::span<const std::pair<std::string_view, std::string_view>> params) const;

 private:
  std::string text_;
  std::vector<path_segment> segments_;
  std::vector<std::string> param_names_;
};

// Whether `value` (one segment, or the rest of the path for `path`) has the type.
bool matches_type(param_type type, std::string_view value);

}  // namespace cogi
