#pragma once
// The runner's own endpoints, served on every loop before the app sees the request, so
// that every cogi program has them without a line of its code (docs/operations.md):
//   --health-path  (/healthz)  liveness: 200 "ok" while the process serves requests
//   --ready-path   (/readyz)   readiness: 200 "ready" once every loop's lifespan startup
//                              is done, 503 from the moment a graceful shutdown begins
//   --metrics-path (/metrics)  Prometheus text format 0.0.4 (metrics_exposition.hpp)
// GET and HEAD only (anything else: 405). Matched on the request's path exactly as
// received (a probe sends it so), whatever --root-path says. They are not the app's
// routes: the app never sees them, the request metrics do not count them, and the
// access log leaves them out unless --log-probes.

#include <asio/awaitable.hpp>

#include "cogi/server/contract/app.hpp"

namespace cogi::runtime {

class event_loop;

// Whether `raw_path` is one of the runner's endpoints on `loop`'s configuration.
bool is_runner_endpoint(const event_loop& loop, std::string_view raw_path);

// Answers a request for one of them, through the contract like any app.
asio::awaitable<void> serve_runner_endpoint(const event_loop& loop, scope& request, receive_fn receive, send_fn send);

}  // namespace cogi::runtime
