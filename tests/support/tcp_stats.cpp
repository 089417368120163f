// Built without the precompiled header: <linux/tcp.h> (which has tcpi_data_segs_in)
// clashes with the <netinet/tcp.h> that Asio includes.
#include "tests/support/tcp_stats.hpp"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

namespace cogi::testing {

std::uint32_t data_segments_received(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) throw std::runtime_error("TCP_INFO failed");
  return info.tcpi_data_segs_in;
}

}  // namespace cogi::testing
