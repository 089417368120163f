#pragma once
// Kernel TCP counters of a test's socket (Linux TCP_INFO), for tests that check how the
// server wrote, not only what.

#include <cstdint>

namespace cogi::testing {

// Data-carrying TCP segments this socket has received so far.
std::uint32_t data_segments_received(int fd);

// Whether the other end of this loopback connection (the server under test) has read
// every byte sent to it: its socket's receive queue in /proc/net/tcp is empty. The
// signal that a request has reached the server, for a process the test cannot ask.
bool peer_has_read_everything(int fd);

}  // namespace cogi::testing
