#pragma once
// Kernel TCP counters of a test's socket (Linux TCP_INFO), for tests that check how the
// server wrote, not only what.

#include <cstdint>

namespace cogi::testing {

// Data-carrying TCP segments this socket has received so far.
std::uint32_t data_segments_received(int fd);

}  // namespace cogi::testing
