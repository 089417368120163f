#pragma once
// What the runner's own endpoints (runner_endpoints.hpp) see of the whole server from
// whichever loop serves them: whether it is ready, and every loop, whose numbers are
// readable from any thread (loop_counter.hpp). The server owns it; each loop points to it.

#include <atomic>
#include <vector>

namespace cogi::runtime {

class event_loop;

struct server_view {
  // True once every loop's lifespan startup is done and the listeners are bound; false
  // again from the moment a graceful shutdown begins (load balancers then stop sending).
  std::atomic<bool> ready{false};
  // Every loop, filled before any of them serves and unchanged afterwards.
  std::vector<const event_loop*> loops;
};

}  // namespace cogi::runtime
