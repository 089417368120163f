#pragma once
// timeout: a deadline for every request. A handler still running when it passes is
// cancelled (its cleanup runs, see server/async/cancellation.hpp) and the client gets
// 504 with a JSON error; if the response had already started, the connection is closed
// instead, since a status can no longer be sent.
//
//   app.use(cogi::timeout({.limit = std::chrono::seconds(5)}));

#include <chrono>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct timeout_options {
  std::chrono::milliseconds limit = std::chrono::seconds(30);

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(limit)
};

app_wrapper_fn timeout(timeout_options options = {});

}  // namespace cogi
