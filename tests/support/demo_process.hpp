#pragma once
// The demo binary (COGI_DEMO_PATH, set by the test target) running as a child process
// on a free port with two loops, for tests of what users see of a real process:
// signals, exit codes, flags, its output.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

#ifndef COGI_DEMO_PATH
#error "COGI_DEMO_PATH must name the demo binary"
#endif

namespace cogi::testing {

struct demo_process {
  explicit demo_process(std::vector<std::string> args, std::vector<std::string> env = {})
      : process(COGI_DEMO_PATH, with_defaults(std::move(args)), std::move(env)) {
    const auto found = process.wait_for_port();
    if (!found) throw std::runtime_error("demo did not start: " + process.output());
    port = *found;
  }
  static std::vector<std::string> with_defaults(std::vector<std::string> args) {
    args.insert(args.begin(), {"--port", "0", "--loops", "2"});
    return args;
  }
  child_process process;
  std::uint16_t port = 0;
};

}  // namespace cogi::testing
