#pragma once
// `PROGRAM --healthcheck`: asks the server that the same settings describe (its first
// --bind or --host/--port, else --uds) for its health endpoint, and returns 0 when it
// answers 200 within the timeout, 1 otherwise. For a container's HEALTHCHECK, without
// curl in the image: the program checks itself with the configuration it was started
// with (COGI_* variables included). A wildcard host (0.0.0.0, ::) is asked on loopback.

#include <chrono>

#include "cogi/server/runtime/config.hpp"

namespace cogi::runtime {

int check_health(const server_config& config, std::chrono::milliseconds timeout = std::chrono::seconds(3));

}  // namespace cogi::runtime
