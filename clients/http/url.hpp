#pragma once
// Absolute http:// and https:// URLs as the client needs them (RFC 3986 and RFC 9110
// section 4.2): the origin to connect to and the request target to send, and
// references resolved against a base (redirects' Location, links a crawler finds).
//
//   const auto u = cogi::fetch::url::parse("http://example.test:8080/a/b?x=1#top");
//   // u.host "example.test", u.port 8080, u.target "/a/b?x=1" (the fragment is not sent)
//   const std::string next = u.resolve("../c").text();   // "http://example.test:8080/c"
//
// Hosts are lowercased; an IPv6 literal keeps its brackets in text() and loses them in
// host. User information ("user:pass@") is refused rather than sent in the clear or
// silently dropped. Non-ASCII hosts must come already in their ASCII (punycode) form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogi::fetch {

struct url {
  std::string scheme;     // "http" or "https", lowercase
  std::string host;       // lowercase; an IPv6 address without brackets
  std::uint16_t port = 0;  // the explicit port, or the scheme's default
  std::string target;     // path and query: "/" at least, as sent in the request line
  std::string fragment;   // without '#'; kept for the caller, never sent

  // Throws invalid_url (errors.hpp) saying what is wrong.
  static url parse(std::string_view text);
  // nullopt instead of throwing.
  static std::optional<url> try_parse(std::string_view text);

  // `reference` (absolute, or relative such as "../x", "/y", "?q", "//host/p") resolved
  // against this URL (RFC 3986 section 5.2), without the fragment unless the reference
  // has one. Throws invalid_url if the result is not an http(s) URL.
  url resolve(std::string_view reference) const;

  bool is_ipv6() const { return host.find(':') != std::string::npos; }
  bool default_port() const { return port == (scheme == "https" ? 443 : 80); }
  // host[:port] as the Host header carries it (the port only when not the default).
  std::string authority() const;
  // scheme://authority: what connections are pooled by.
  std::string origin() const;
  // The whole URL, fragment included.
  std::string text() const;
};

// RFC 3986 section 5.2.4: "/a/b/../c/./d" -> "/a/c/d".
std::string remove_dot_segments(std::string_view path);

}  // namespace cogi::fetch
