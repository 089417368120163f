#pragma once
// What every scope a request opens (http, websocket) says about the request and where it
// is served: the head's views, the path decoded and put under the root path, the
// connection's addresses and the loop's state. http::exchange and websocket::session
// both build their scopes with it.

#include <string>
#include <string_view>

#include "cogi/server/contract/scope.hpp"
#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/request_head.hpp"

namespace cogi::http {

// Where the exchanges of one connection are served: what their scopes say besides the
// request itself. Outlives every exchange that points to it.
struct exchange_site {
  const http::limits* limits = nullptr;
  std::string_view root_path;  // --root-path: prefixed to path and raw_path (uvicorn)
  const address* client = nullptr;
  const address* server = nullptr;
  state_map* state = nullptr;  // the loop's lifespan state
};

// Memory for a path that had to be decoded or prefixed; the scope's views point into it.
struct scope_paths {
  std::string path;
  std::string raw_path;
};

// Fills everything in `out` that comes from `head` and `site` (not type, scheme or
// report, which depend on the kind of scope).
void fill_request_scope(const request_head& head, const exchange_site& site, scope& out, scope_paths& storage);

}  // namespace cogi::http
