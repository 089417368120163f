#pragma once
// The demo app (docs/demo.md), built on the framework. Its first five routes are a fixed
// contract for tests, the bench and outside conformance checks:
//   GET  /plaintext      200 text/plain "Hello, World!"
//   GET  /json           200 application/json {"message":"Hello, World!"}
//   POST /echo           200, the request body streamed back
//   GET  /stream?n=N     200, N chunks
//   GET  /sleep?ms=N     200 "ok" after N ms on a timer
//   anything else        404; a known path with another method 405 with Allow
// and it shows the framework off beside them:
//   /items               an in-memory JSON CRUD API (items_api.hpp)
//   GET /events/clock    Server-Sent Events: the time, every second
//   GET /                redirects to /static/, a page that uses both

#include <string>

#include "cogi/framework/app.hpp"

namespace cogi::examples {

struct demo_options {
  // Where the static page lives; empty: $COGI_DEMO_STATIC_DIR, else the source tree's
  // examples/demo/static.
  std::string static_dir;
};

cogi::app make_demo_app(const demo_options& options = {});

// The demo as a contract app (what tests hand to a server).
inline app_fn demo_app() { return make_demo_app(); }

}  // namespace cogi::examples
