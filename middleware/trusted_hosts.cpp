#include "cogi/middleware/trusted_hosts.hpp"

#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

std::string_view without_port(std::string_view host) {
  if (host.starts_with('[')) {  // an IPv6 literal: "[::1]:8000"
    const auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  return host.substr(0, host.find(':'));
}

asio::awaitable<void> reject(send_fn send) {
  static constexpr header_field headers[] = {{"content-type", "text/plain; charset=utf-8"}};
  co_await send(response_start{400, headers});
  co_await send(response_body{"Invalid host header", false});
}

asio::awaitable<void> check_host(const std::vector<std::string>& allowed, const app_fn& next, scope& sc,
                                 receive_fn receive, send_fn send) {
  // A WebSocket handshake is refused the same way: the 400 is its denial response.
  if (sc.type != scope_type::lifespan && !host_allowed(sc.header_value("host"), allowed))
    co_return co_await reject(send);
  co_await next(sc, receive, send);
}

}  // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& allowed) {
  const auto name = without_port(host);
  for (const auto& pattern : allowed) {
    if (pattern == "*") return true;
    if (pattern.starts_with("*.")) {
      const std::string_view domain = std::string_view(pattern).substr(1);  // ".example.com"
      if (name.size() > domain.size() && http::iequals(name.substr(name.size() - domain.size()), domain)) return true;
    } else if (http::iequals(name, pattern)) {
      return true;
    }
  }
  return false;
}

app_wrapper_fn trusted_hosts(std::vector<std::string> allowed) {
  return contract_middleware(std::move(allowed), check_host);
}

}  // namespace cogi
