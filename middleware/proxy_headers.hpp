#pragma once
// proxy_headers: behind a reverse proxy, take the client's address and scheme from
// X-Forwarded-For and X-Forwarded-Proto, but only when the connection comes from a
// trusted proxy (uvicorn's --proxy-headers / --forwarded-allow-ips); from anyone else
// those headers are ignored, since any client can send them.
//
//   app.use(cogi::proxy_headers({.trusted = {"10.0.0.0/8", "127.0.0.1"}}));
//
// The rules are server/http/forwarded.hpp's, which the runner's --proxy-headers and
// --forwarded-allow-ips apply to every app; this middleware is for an app served some
// other way (the test client, an app mounted behind its own proxy).

#include <string>
#include <vector>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct proxy_headers_options {
  // Addresses ("127.0.0.1", "::1"), networks ("10.0.0.0/8", "fd00::/8") or "*" (any).
  std::vector<std::string> trusted = {"127.0.0.1"};

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(trusted)
};

// Throws std::invalid_argument for an entry that is not an address or a network.
app_wrapper_fn proxy_headers(proxy_headers_options options = {});

}  // namespace cogi
