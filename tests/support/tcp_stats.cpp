// Built without the precompiled header: <linux/tcp.h> (which has tcpi_data_segs_in)
// clashes with the <netinet/tcp.h> that Asio includes.
#include "tests/support/tcp_stats.hpp"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

namespace cogi::testing {

std::uint32_t data_segments_received(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) throw std::runtime_error("TCP_INFO failed");
  return info.tcpi_data_segs_in;
}

namespace {

std::uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  throw std::runtime_error("not a TCP socket");
}

}  // namespace

bool peer_has_read_everything(int fd) {
  sockaddr_storage local{}, peer{};
  socklen_t size = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size) != 0) throw std::runtime_error("getsockname");
  size = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) throw std::runtime_error("getpeername");
  const std::uint16_t ours = port_of(local), theirs = port_of(peer);
  // Lines: "sl local_address rem_address st tx_queue:rx_queue ...", ports in hex.
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      char local_address[64], remote_address[64];
      unsigned state = 0, tx = 0, rx = 0;
      if (std::sscanf(line.c_str(), "%*s %63s %63s %x %x:%x", local_address, remote_address, &state, &tx, &rx) != 5)
        continue;
      const std::string l = local_address, r = remote_address;
      const auto local_port = std::stoul(l.substr(l.find(':') + 1), nullptr, 16);
      const auto remote_port = std::stoul(r.substr(r.find(':') + 1), nullptr, 16);
      if (local_port == theirs && remote_port == ours) return rx == 0;
    }
  }
  throw std::runtime_error("the peer's socket is not in /proc/net/tcp");
}

}  // namespace cogi::testing
