#include "cogi/clients/http/url.hpp"

#include <charconv>

#include "cogi/clients/http/errors.hpp"

namespace cogi::fetch {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986 section 2: what may stand in a path or query as it is.
bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool is_sub_delim(char c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
         c == ';' || c == '=';
}
bool is_path_or_query_char(char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/' || c == '?';
}

// A URL's parts as RFC 3986 appendix B splits any URI reference; absent parts are nullopt
// (an empty query "?" is present and empty).
struct parts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

parts split(std::string_view text) {
  parts p;
  if (const auto hash = text.find('#'); hash != std::string_view::npos) {
    p.fragment = text.substr(hash + 1);
    text = text.substr(0, hash);
  }
  if (const auto question = text.find('?'); question != std::string_view::npos) {
    p.query = text.substr(question + 1);
    text = text.substr(0, question);
  }
  // A scheme is letters, digits, + - . before the first ':' that comes before any '/'.
  if (const auto colon = text.find(':'); colon != std::string_view::npos && colon > 0 && is_alpha(text[0])) {
    bool scheme_chars = true;
    for (std::size_t i = 0; i < colon; ++i) {
      const char c = text[i];
      scheme_chars = scheme_chars && (is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.');
    }
    if (scheme_chars) {
      p.scheme = text.substr(0, colon);
      text = text.substr(colon + 1);
    }
  }
  if (text.starts_with("//")) {
    text = text.substr(2);
    const auto slash = text.find('/');
    p.authority = text.substr(0, slash);
    text = slash == std::string_view::npos ? std::string_view() : text.substr(slash);
  }
  p.path = text;
  return p;
}

// Percent-encodes what may not appear as it is (spaces, quotes, non-ASCII bytes, a '%'
// that starts no escape), as browsers and Python's requests do, so that a link written
// loosely still makes a valid request line. Control characters are refused.
void append_encoded(std::string& out, std::string_view text, std::string_view whole) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const char c = text[i];
    if (byte < 0x20 || byte == 0x7f) throw invalid_url("a control character in the URL: " + std::string(whole));
    const bool escape = c == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2]);
    if (is_path_or_query_char(c) || escape) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 15]);
    }
  }
}

bool valid_reg_name(std::string_view host) {
  for (const char c : host) {
    if (!(is_unreserved(c) || is_sub_delim(c) || c == '%')) return false;
  }
  return true;
}

bool valid_ipv6(std::string_view host) {
  if (host.empty()) return false;
  for (const char c : host) {
    if (!(is_hex(c) || c == ':' || c == '.')) return false;
  }
  return host.find(':') != std::string_view::npos;
}

}  // namespace

url url::parse(std::string_view text) {
  // Surrounding whitespace is what copy and paste leaves; inner whitespace is encoded.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  const parts p = split(text);
  if (!p.scheme) throw invalid_url("not an absolute URL: " + std::string(text));
  url u;
  for (const char c : *p.scheme) u.scheme.push_back(lower(c));
  if (u.scheme != "http" && u.scheme != "https")
    throw invalid_url("only http and https URLs can be requested: " + std::string(text));
  if (!p.authority || p.authority->empty()) throw invalid_url("no host in the URL: " + std::string(text));
  std::string_view authority = *p.authority;
  if (authority.find('@') != std::string_view::npos)
    throw invalid_url("user information in a URL is not supported (send an Authorization header): " +
                      std::string(text));

  std::string_view host;
  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw invalid_url("an unclosed IPv6 address: " + std::string(text));
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') throw invalid_url("junk after an IPv6 address: " + std::string(text));
    if (!rest.empty()) port_text = rest.substr(1);
    if (!valid_ipv6(host)) throw invalid_url("an invalid IPv6 address: " + std::string(text));
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (host.empty() || !valid_reg_name(host)) throw invalid_url("an invalid host: " + std::string(text));
  }
  for (const char c : host) u.host.push_back(lower(c));

  u.port = u.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      throw invalid_url("an invalid port: " + std::string(text));
    u.port = static_cast<std::uint16_t>(value);
  }

  const std::string path = p.path.empty() ? std::string("/") : remove_dot_segments(p.path);
  append_encoded(u.target, path, text);
  if (p.query) {
    u.target.push_back('?');
    append_encoded(u.target, *p.query, text);
  }
  if (p.fragment) append_encoded(u.fragment, *p.fragment, text);
  return u;
}

std::optional<url> url::try_parse(std::string_view text) {
  try {
    return parse(text);
  } catch (const invalid_url&) {
    return std::nullopt;
  }
}

// RFC 3986 section 5.2.2, strict: a reference with a scheme is absolute.
url url::resolve(std::string_view reference) const {
  while (!reference.empty() && (reference.front() == ' ' || reference.front() == '\t')) reference.remove_prefix(1);
  while (!reference.empty() && (reference.back() == ' ' || reference.back() == '\t')) reference.remove_suffix(1);
  const parts r = split(reference);
  if (r.scheme) return parse(reference);
  const std::string_view base_target = target;
  const auto question = base_target.find('?');
  const std::string_view base_path = base_target.substr(0, question);
  // A plain view and a flag: GCC 12 warns (falsely) of an optional<string_view> here.
  const bool has_base_query = question != std::string_view::npos;
  const std::string_view base_query = has_base_query ? base_target.substr(question + 1) : std::string_view();

  std::string result = scheme + ":";
  if (r.authority) {
    result += "//" + std::string(*r.authority) + remove_dot_segments(r.path);
    if (r.query) result += "?" + std::string(*r.query);
  } else {
    result += "//" + authority();
    if (r.path.empty()) {
      result += base_path;
      if (r.query) {
        result += "?" + std::string(*r.query);
      } else if (has_base_query) {
        result += "?" + std::string(base_query);
      }
    } else {
      if (r.path.front() == '/') {
        result += remove_dot_segments(r.path);
      } else {
        // Merge (section 5.2.3): the base path up to its last '/', then the reference.
        const auto last_slash = base_path.rfind('/');
        const std::string merged = std::string(base_path.substr(0, last_slash + 1)) + std::string(r.path);
        result += remove_dot_segments(merged);
      }
      if (r.query) result += "?" + std::string(*r.query);
    }
  }
  if (r.fragment) result += "#" + std::string(*r.fragment);
  return parse(result);
}

std::string url::authority() const {
  std::string out = is_ipv6() ? "[" + host + "]" : host;
  if (!default_port()) out += ":" + std::to_string(port);
  return out;
}

std::string url::origin() const { return scheme + "://" + authority(); }

std::string url::text() const {
  std::string out = origin() + target;
  if (!fragment.empty()) out += "#" + fragment;
  return out;
}

std::string remove_dot_segments(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  while (!path.empty()) {
    if (path.starts_with("../")) {
      path.remove_prefix(3);
    } else if (path.starts_with("./")) {
      path.remove_prefix(2);
    } else if (path.starts_with("/./")) {
      path.remove_prefix(2);
    } else if (path == "/.") {
      path = "/";
    } else if (path.starts_with("/../") || path == "/..") {
      path = path.size() == 3 ? std::string_view("/") : path.substr(3);
      const auto last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (path == "." || path == "..") {
      path = {};
    } else {
      // The first segment, with its leading '/', up to the next '/'.
      const auto next = path.find('/', path.front() == '/' ? 1 : 0);
      out.append(path.substr(0, next));
      path = next == std::string_view::npos ? std::string_view() : path.substr(next);
    }
  }
  return out;
}

}  // namespace cogi::fetch
