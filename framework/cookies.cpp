#include "cogi/framework/cookies.hpp"

#include <stdexcept>

#include "cogi/server/http/http_date.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

// cookie-octet (RFC 6265 §4.1.1): visible ASCII except DQUOTE, comma, semicolon, backslash.
bool is_cookie_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

// Attribute values (Path, Domain) must not end the field or start another attribute.
void check_attribute(std::string_view what, std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ';') throw std::invalid_argument(std::string("invalid cookie ") + std::string(what));
  }
}

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const auto pair = http::trim_ows(header.substr(0, semicolon));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && http::trim_ows(pair.substr(0, eq)) == name) {
      auto value = http::trim_ows(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return value;
    }
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

std::string format_set_cookie(std::string_view name, std::string_view value, const cookie_options& options) {
  if (name.empty() || !http::is_token(name)) throw std::invalid_argument("invalid cookie name");
  for (char c : value)
    if (!is_cookie_octet(c)) throw std::invalid_argument("cookie value holds a byte cookies cannot carry");
  check_attribute("path", options.path);
  check_attribute("domain", options.domain);

  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value);
  if (options.max_age) {
    out.append("; Max-Age=").append(std::to_string(options.max_age->count()));
    out.append("; Expires=").append(http::format_http_date(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + *options.max_age)));
  }
  if (!options.path.empty()) out.append("; Path=").append(options.path);
  if (!options.domain.empty()) out.append("; Domain=").append(options.domain);
  if (options.secure) out.append("; Secure");
  if (options.http_only) out.append("; HttpOnly");
  if (!options.same_site.empty()) {
    if (http::iequals(options.same_site, "lax")) {
      out.append("; SameSite=Lax");
    } else if (http::iequals(options.same_site, "strict")) {
      out.append("; SameSite=Strict");
    } else if (http::iequals(options.same_site, "none")) {
      out.append("; SameSite=None");
    } else {
      throw std::invalid_argument("same_site must be lax, strict or none");
    }
  }
  return out;
}

}  // namespace cogi
