#pragma once
// A response's status line and header fields, as the server sent them (names keep their
// case; lookups ignore it).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cogi::fetch {

struct header {
  std::string name;
  std::string value;
};

struct response_head {
  int status = 0;
  std::string reason;
  int version_minor = 1;  // HTTP/1.x
  std::vector<header> headers;

  // The first field of that name, or nullopt.
  std::optional<std::string_view> find(std::string_view name) const;
  // Every field of that name, joined with ", " (RFC 9110 section 5.3); empty when none.
  std::string joined(std::string_view name) const;
};

bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace cogi::fetch
