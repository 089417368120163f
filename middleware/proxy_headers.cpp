#include "middleware/proxy_headers.hpp"

#include <stdexcept>

#include <asio/ip/address.hpp>

#include "server/http/validation.hpp"

namespace cogi {
namespace {

struct network {
  asio::ip::address base;
  unsigned prefix = 0;  // bits that must match
};

struct trusted_set {
  bool anyone = false;
  std::vector<network> networks;

  bool contains(std::string_view host) const {
    if (anyone) return true;
    std::error_code ec;
    const auto address = asio::ip::make_address(std::string(host), ec);
    if (ec) return false;
    for (const auto& net : networks) {
      if (net.base.is_v4() != address.is_v4()) continue;
      if (address.is_v4()) {
        const auto a = address.to_v4().to_uint(), b = net.base.to_v4().to_uint();
        const std::uint32_t mask = net.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - net.prefix);
        if ((a & mask) == (b & mask)) return true;
      } else {
        const auto a = address.to_v6().to_bytes(), b = net.base.to_v6().to_bytes();
        unsigned bits = net.prefix;
        bool same = true;
        for (std::size_t i = 0; i < a.size() && bits > 0 && same; ++i, bits = bits >= 8 ? bits - 8 : 0) {
          const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
          same = (a[i] & mask) == (b[i] & mask);
        }
        if (same) return true;
      }
    }
    return false;
  }
};

trusted_set parse_trusted(const std::vector<std::string>& entries) {
  trusted_set set;
  for (const auto& entry : entries) {
    if (entry == "*") {
      set.anyone = true;
      continue;
    }
    const auto slash = entry.find('/');
    std::error_code ec;
    network net{asio::ip::make_address(entry.substr(0, slash), ec)};
    if (ec) throw std::invalid_argument("proxy_headers: not an address or network: " + entry);
    const unsigned width = net.base.is_v4() ? 32 : 128;
    net.prefix = width;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.find_first_not_of("0123456789") != std::string::npos || std::stoul(bits) > width)
        throw std::invalid_argument("proxy_headers: bad prefix length in " + entry);
      net.prefix = static_cast<unsigned>(std::stoul(bits));
    }
    set.networks.push_back(net);
  }
  return set;
}

// The client in an X-Forwarded-For list: right to left, the first untrusted entry.
std::string_view forwarded_client(std::string_view list, const trusted_set& trusted) {
  std::string_view leftmost;
  while (!list.empty()) {
    const auto comma = list.rfind(',');
    const auto entry = http::trim_ows(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
    if (entry.empty()) continue;
    if (!trusted.contains(entry)) return entry;
    leftmost = entry;
  }
  return leftmost;
}

asio::awaitable<void> apply_proxy_headers(const trusted_set& trusted, const app_fn& next, scope& sc,
                                          receive_fn receive, send_fn send) {
  if (sc.type != scope_type::http || !sc.client || !trusted.contains(sc.client->host))
    co_return co_await next(sc, receive, send);
  scope inner = sc;
  address client;
  std::string_view proto = sc.header_value("x-forwarded-proto");
  if (const auto comma = proto.rfind(','); comma != std::string_view::npos) proto = proto.substr(comma + 1);
  proto = http::trim_ows(proto);
  for (std::string_view known : {"http", "https", "ws", "wss"})
    if (http::iequals(proto, known)) inner.scheme = known;
  if (const auto forwarded = forwarded_client(sc.header_value("x-forwarded-for"), trusted); !forwarded.empty()) {
    client.host = std::string(forwarded);
    inner.client = &client;
  }
  co_await next(inner, receive, send);
}

}  // namespace

app_wrapper_fn proxy_headers(proxy_headers_options options) {
  return contract_middleware(parse_trusted(options.trusted), apply_proxy_headers);
}

}  // namespace cogi
