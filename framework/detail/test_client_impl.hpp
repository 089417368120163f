#pragma once
// What a test_client keeps (framework/test_client.hpp): the loop its apps run on, the
// lifespan, the per-loop state and what every scope says of the "connection". Shared
// by test_client.cpp (HTTP) and test_websocket.cpp (WebSocket).

#include <chrono>
#include <exception>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "cogi/framework/test_client.hpp"
#include "cogi/server/http/lifespan_exchange.hpp"
#include "cogi/server/http/request_scope.hpp"

namespace cogi {

struct test_client::impl {
  explicit impl(app_fn a, test_client_options o)
      : app(std::move(a)), options(std::move(o)), lifespan(state) {
    site = {&options.limits, options.root_path, &options.client, &server, &state};
  }

  app_fn app;
  test_client_options options;
  asio::io_context loop{1};
  state_map state;
  address server{"testserver", 80};
  http::exchange_site site;
  http::lifespan_exchange lifespan;

  // Runs the loop until `done` is true (other work, like the lifespan waiting for its
  // shutdown, may stay pending).
  template <class Done>
  void run_until(Done done) {
    loop.restart();
    while (!done()) loop.run_one();
    loop.poll();
  }

  // Before the loop goes away: lets outstanding work finish. A blocking-pool thread
  // holds work on the loop until its wake-up post has fully returned; destroying the
  // io_context earlier would race with that post. Bounded, in case an app left a task
  // running forever.
  void drain() {
    loop.restart();
    loop.run_for(std::chrono::seconds(5));
  }

  void shut_down() {
    bool done = false;
    asio::co_spawn(loop, lifespan.shutdown(), [&done](std::exception_ptr) { done = true; });
    run_until([&done] { return done; });
    drain();
  }
};

}  // namespace cogi
