#include "cogi/middleware/proxy_headers.hpp"

#include <stdexcept>

#include "cogi/server/http/forwarded.hpp"

namespace cogi {
namespace {

asio::awaitable<void> apply_proxy_headers(const http::trusted_proxies& trusted, const app_fn& next, scope& sc,
                                          receive_fn receive, send_fn send) {
  if (sc.type == scope_type::lifespan || sc.client == nullptr || !trusted.contains(sc.client->host))
    co_return co_await next(sc, receive, send);
  scope inner = sc;
  address client;
  trusted.rewrite(inner, client);
  co_await next(inner, receive, send);
}

}  // namespace

app_wrapper_fn proxy_headers(proxy_headers_options options) {
  try {
    return contract_middleware(http::trusted_proxies(options.trusted), apply_proxy_headers);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("proxy_headers: ") + error.what());
  }
}

}  // namespace cogi
