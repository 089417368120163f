#include "cogi/server/http/forwarded.hpp"

#include <cstdint>
#include <stdexcept>

#include "cogi/server/http/validation.hpp"

namespace cogi::http {
namespace {

// The client in an X-Forwarded-For list: right to left, the first untrusted entry.
std::string_view forwarded_client(std::string_view list, const trusted_proxies& trusted) {
  std::string_view leftmost;
  while (!list.empty()) {
    const auto comma = list.rfind(',');
    const auto entry = trim_ows(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
    if (entry.empty()) continue;
    if (!trusted.contains(entry)) return entry;
    leftmost = entry;
  }
  return leftmost;
}

}  // namespace

trusted_proxies::trusted_proxies(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    if (entry == "*") {
      anyone_ = true;
      continue;
    }
    const auto slash = entry.find('/');
    std::error_code ec;
    network net{asio::ip::make_address(entry.substr(0, slash), ec)};
    if (ec) throw std::invalid_argument("not an address or network: '" + entry + "'");
    const unsigned width = net.base.is_v4() ? 32 : 128;
    net.prefix = width;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(bits) > width)
        throw std::invalid_argument("bad prefix length in '" + entry + "'");
      net.prefix = static_cast<unsigned>(std::stoul(bits));
    }
    networks_.push_back(net);
  }
}

trusted_proxies trusted_proxies::from_list(std::string_view list) {
  std::vector<std::string> entries;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto entry = trim_ows(list.substr(0, comma));
    if (!entry.empty()) entries.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return trusted_proxies(entries);
}

bool trusted_proxies::contains(std::string_view host) const {
  if (anyone_) return true;
  std::error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  return !ec && contains(address);
}

bool trusted_proxies::contains(const asio::ip::address& address) const {
  for (const auto& net : networks_) {
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
        const auto mask = static_cast<unsigned char>(bits >= 8 ? 0xff : 0xff << (8 - bits));
        same = (a[i] & mask) == (b[i] & mask);
      }
      if (same) return true;
    }
  }
  return false;
}

void trusted_proxies::rewrite(scope& request, address& forwarded) const {
  // One pass over the headers (most requests, even from a proxy, carry neither).
  std::string_view proto, forwarded_for;
  bool proto_seen = false, for_seen = false;
  for (const auto& h : request.headers) {
    if (!proto_seen && h.name == "x-forwarded-proto") {
      proto = h.value;
      proto_seen = true;
    } else if (!for_seen && h.name == "x-forwarded-for") {
      forwarded_for = h.value;
      for_seen = true;
    }
  }
  if (!proto.empty()) {
    if (const auto comma = proto.rfind(','); comma != std::string_view::npos) proto = proto.substr(comma + 1);
    proto = trim_ows(proto);
    // A WebSocket's scheme says ws or wss whichever the proxy wrote (uvicorn does the
    // same): "https" in front of a WebSocket means "wss".
    const bool websocket = request.type == scope_type::websocket;
    static constexpr std::string_view schemes[] = {"http", "https", "ws", "wss"};
    static constexpr std::string_view websocket_schemes[] = {"ws", "wss", "ws", "wss"};
    for (std::size_t i = 0; i < std::size(schemes); ++i)
      if (iequals(proto, schemes[i])) request.scheme = websocket ? websocket_schemes[i] : schemes[i];
  }
  if (forwarded_for.empty()) return;
  if (const auto client = forwarded_client(forwarded_for, *this); !client.empty()) {
    forwarded.host.assign(client);
    forwarded.port = 0;
    request.client = &forwarded;
  }
}

}  // namespace cogi::http
