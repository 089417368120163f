#pragma once
// concurrency_limit: at most `max_concurrent` requests in the app at once per loop (one
// loop per core; like uvicorn's --limit-concurrency per worker). Requests beyond that
// wait in line, first come first served, up to `max_waiting` of them and for at most
// `wait_timeout`; past either bound the answer is 503 with Retry-After, so an overloaded
// service sheds load quickly instead of letting latency grow without bound.
//
//   app.use(cogi::concurrency_limit({.max_concurrent = 64, .max_waiting = 256}));

#include <chrono>
#include <cstddef>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct concurrency_limit_options {
  std::size_t max_concurrent = 100;
  std::size_t max_waiting = 100;
  std::chrono::milliseconds wait_timeout = std::chrono::seconds(5);
  std::chrono::seconds retry_after = std::chrono::seconds(1);

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_concurrent, max_waiting, wait_timeout, retry_after)
};

app_wrapper_fn concurrency_limit(concurrency_limit_options options = {});

}  // namespace cogi
