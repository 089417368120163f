#include "cogi/clients/http/resolver.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "cogi/clients/http/errors.hpp"
#include "cogi/server/async/run_blocking.hpp"

namespace cogi::fetch {
namespace {

// On a blocking-pool thread.
std::vector<asio::ip::tcp::endpoint> lookup(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    const char* reason = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
    throw dns_error("cannot resolve " + host + ": " + reason);
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    asio::ip::tcp::endpoint e;
    if (a->ai_addrlen > e.capacity()) continue;
    std::memcpy(e.data(), a->ai_addr, a->ai_addrlen);
    e.resize(a->ai_addrlen);
    e.port(port);
    endpoints.push_back(e);
  }
  if (endpoints.empty()) throw dns_error("cannot resolve " + host + ": no addresses");
  return endpoints;
}

}  // namespace

asio::awaitable<std::vector<asio::ip::tcp::endpoint>> resolve(std::string host, std::uint16_t port) {
  asio::error_code not_an_address;
  const auto address = asio::ip::make_address(host, not_an_address);
  if (!not_an_address) co_return std::vector<asio::ip::tcp::endpoint>{asio::ip::tcp::endpoint(address, port)};
  co_return co_await async::run_blocking(&lookup, std::move(host), port);
}

}  // namespace cogi::fetch
