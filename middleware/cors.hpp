#pragma once
// cors: Cross-Origin Resource Sharing (the Fetch standard), as Starlette's
// CORSMiddleware: answers preflight requests itself and adds the
// Access-Control-* headers to the responses of allowed origins.
//
//   app.use(cogi::cors({.allow_origins = {"https://app.example.com"},
//                        .allow_methods = {"GET", "POST"},
//                        .allow_headers = {"content-type", "authorization"}}));
//
// A preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin, for
// allowed methods and headers, gets 200 with the allowances and Max-Age; otherwise a 400
// that names what was refused. Requests without an Origin pass through untouched. A
// WebSocket handshake from an origin not allowed is refused with 403 (browsers apply no
// CORS to WebSockets: this check is what stops cross-site WebSocket hijacking).

#include <chrono>
#include <string>
#include <vector>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct cors_options {
  std::vector<std::string> allow_origins;                  // exact origins, or {"*"}
  std::vector<std::string> allow_methods = {"GET"};        // or {"*"}
  std::vector<std::string> allow_headers;                  // beyond the CORS-safelisted ones; or {"*"}
  bool allow_credentials = false;
  std::vector<std::string> expose_headers;
  std::chrono::seconds max_age = std::chrono::seconds(600);

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(allow_origins, allow_methods, allow_headers, allow_credentials, expose_headers, max_age)
};

app_wrapper_fn cors(cors_options options);

}  // namespace cogi
