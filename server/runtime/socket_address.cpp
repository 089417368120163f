#include "cogi/server/runtime/socket_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

namespace cogi::runtime {

address to_address(const asio::generic::stream_protocol::endpoint& endpoint) {
  const sockaddr* raw = endpoint.data();
  char text[INET6_ADDRSTRLEN] = {};
  switch (raw->sa_family) {
    case AF_INET: {
      const auto* in = reinterpret_cast<const sockaddr_in*>(raw);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      return {text, ntohs(in->sin_port)};
    }
    case AF_INET6: {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(raw);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      return {text, ntohs(in6->sin6_port)};
    }
    case AF_UNIX: {
      const auto* un = reinterpret_cast<const sockaddr_un*>(raw);
      const std::size_t max = endpoint.size() > offsetof(sockaddr_un, sun_path)
                                  ? endpoint.size() - offsetof(sockaddr_un, sun_path)
                                  : 0;
      return {std::string(un->sun_path, ::strnlen(un->sun_path, max)), 0};
    }
    default:
      return {};
  }
}

}  // namespace cogi::runtime
