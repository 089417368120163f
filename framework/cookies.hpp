#pragma once
// Cookies both ways: reading a request's Cookie header (RFC 6265 §5.4) and formatting a
// Set-Cookie field with its attributes (RFC 6265 §4.1), with Starlette's defaults
// (Path=/, SameSite=Lax).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct cookie_options {
  std::optional<std::chrono::seconds> max_age;  // also written as Expires, for old clients
  std::string path = "/";
  std::string domain;
  bool secure = false;
  bool http_only = false;
  std::string same_site = "lax";  // "lax", "strict", "none" or "" (attribute left out)

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_age, path, domain, secure, http_only, same_site)
};

// The value of cookie `name` in a Cookie header value ("a=1; b=2"), or nullopt. A value
// in double quotes is returned without them.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

// A Set-Cookie field value. Throws std::invalid_argument when the name is not a token,
// the value holds bytes a cookie cannot carry (use base64 or percent-encoding), or
// same_site is not one of the four choices.
std::string format_set_cookie(std::string_view name, std::string_view value, const cookie_options& options = {});

}  // namespace cogi
