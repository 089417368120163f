#pragma once
// Behind a reverse proxy: the client's address and scheme taken from X-Forwarded-For and
// X-Forwarded-Proto, but only when the connection comes from a trusted proxy (uvicorn's
// --proxy-headers / --forwarded-allow-ips); from anyone else those headers are ignored,
// since any client can send them. The runner applies it (--proxy-headers) and so does
// the proxy_headers middleware (middleware/proxy_headers.hpp).
//
// X-Forwarded-For is read right to left, skipping trusted proxies: the first address
// that is not one is the client (all trusted: the leftmost). X-Forwarded-Proto's last
// value becomes scope.scheme when it is http, https, ws or wss.

#include <string>
#include <string_view>
#include <vector>

#include <asio/ip/address.hpp>

#include "cogi/server/contract/scope.hpp"

namespace cogi::http {

class trusted_proxies {
 public:
  // Addresses ("127.0.0.1", "::1"), networks ("10.0.0.0/8", "fd00::/8") or "*" (any).
  // Throws std::invalid_argument for an entry that is none of them.
  explicit trusted_proxies(const std::vector<std::string>& entries);
  // The same from a comma-separated list ("127.0.0.1, 10.0.0.0/8"), as the flag gives it.
  static trusted_proxies from_list(std::string_view list);

  bool contains(std::string_view host) const;

  // Rewrites a request that came from a trusted proxy as the proxy saw it: its scheme
  // from X-Forwarded-Proto, its client from X-Forwarded-For (written to `forwarded`,
  // which must live as long as `request`). The caller has checked contains(): the
  // runner once per connection, the middleware per request.
  void rewrite(scope& request, address& forwarded) const;

 private:
  struct network {
    asio::ip::address base;
    unsigned prefix = 0;  // bits that must match
  };
  bool contains(const asio::ip::address& address) const;

  bool anyone_ = false;
  std::vector<network> networks_;
};

}  // namespace cogi::http
