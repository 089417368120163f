#include "cogi/middleware/cors.hpp"

#include <algorithm>

#include "cogi/middleware/detail/edit_start.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

// The options, with the header values they produce computed once.
struct cors_policy {
  cors_options options;
  bool any_origin, any_method, any_header;
  std::string methods_value, headers_value, expose_value, max_age_value;

  explicit cors_policy(cors_options o) : options(std::move(o)) {
    auto has_star = [](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), "*") != v.end(); };
    any_origin = has_star(options.allow_origins);
    any_method = has_star(options.allow_methods);
    any_header = has_star(options.allow_headers);
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
      return out;
    };
    methods_value = any_method ? "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT" : join(options.allow_methods);
    // The CORS-safelisted request headers are always allowed (Fetch §2.2.2).
    // Each name once, whatever its case: {"content-type"} must not list it twice.
    std::vector<std::string> headers = {"accept", "accept-language", "content-language", "content-type"};
    for (const auto& h : options.allow_headers) {
      const bool listed = std::any_of(headers.begin(), headers.end(),
                                      [&](const std::string& known) { return http::iequals(known, h); });
      if (h != "*" && !listed) headers.push_back(h);
    }
    headers_value = join(headers);
    expose_value = join(options.expose_headers);
    max_age_value = std::to_string(options.max_age.count());
  }

  bool origin_allowed(std::string_view origin) const {
    if (any_origin) return true;
    return std::find(options.allow_origins.begin(), options.allow_origins.end(), origin) != options.allow_origins.end();
  }
  bool method_allowed(std::string_view method) const {
    if (any_method) return true;
    return std::any_of(options.allow_methods.begin(), options.allow_methods.end(),
                       [&](const std::string& m) { return http::iequals(m, method); });
  }
  bool headers_allowed(std::string_view requested) const {
    if (any_header) return true;
    while (!requested.empty()) {
      const auto comma = requested.find(',');
      const auto name = http::trim_ows(requested.substr(0, comma));
      if (!name.empty() && headers_value.size() > 0) {
        bool found = false;
        std::string_view list = headers_value;
        while (!list.empty() && !found) {
          const auto sep = list.find(", ");
          found = http::iequals(list.substr(0, sep), name);
          list = sep == std::string_view::npos ? std::string_view{} : list.substr(sep + 2);
        }
        if (!found) return false;
      }
      if (comma == std::string_view::npos) break;
      requested.remove_prefix(comma + 1);
    }
    return true;
  }
  // With credentials, "*" is not allowed by browsers: echo the origin instead.
  std::string_view allow_origin_value(std::string_view origin) const {
    return any_origin && !options.allow_credentials ? std::string_view("*") : origin;
  }
};

asio::awaitable<void> preflight(const cors_policy& policy, std::string_view origin, const scope& sc, send_fn send) {
  std::string refused;
  if (!policy.origin_allowed(origin)) refused = "origin";
  if (!policy.method_allowed(sc.header_value("access-control-request-method")))
    refused += refused.empty() ? "method" : ", method";
  const auto requested = sc.header_value("access-control-request-headers");
  if (!policy.headers_allowed(requested)) refused += refused.empty() ? "headers" : ", headers";

  std::vector<header_field> headers = {{"vary", "Origin"}};
  if (refused.empty()) {
    headers.push_back({"access-control-allow-origin", policy.allow_origin_value(origin)});
    headers.push_back({"access-control-allow-methods", policy.methods_value});
    // "*" allows whatever was asked for: echo it.
    headers.push_back({"access-control-allow-headers", policy.any_header && !requested.empty() ? requested
                                                                                               : std::string_view(policy.headers_value)});
    headers.push_back({"access-control-max-age", policy.max_age_value});
    if (policy.options.allow_credentials) headers.push_back({"access-control-allow-credentials", "true"});
  }
  headers.push_back({"content-type", "text/plain; charset=utf-8"});
  const std::string body = refused.empty() ? "OK" : "Disallowed CORS " + refused;
  const response_start start{refused.empty() ? 200 : 400, headers};
  co_await send(start);
  co_await send(response_body{body, false});
}

asio::awaitable<void> add_cors_headers(const cors_policy& policy, std::string_view origin, send_fn send,
                                       send_event event) {
  const auto* start = std::get_if<response_start>(&event);
  if (!start) co_return co_await send(event);
  std::vector<header_field> extra = {{"access-control-allow-origin", policy.allow_origin_value(origin)}};
  if (policy.options.allow_credentials) extra.push_back({"access-control-allow-credentials", "true"});
  if (!policy.expose_value.empty()) extra.push_back({"access-control-expose-headers", policy.expose_value});
  // The answer depends on the Origin whenever it is not the same "*" for everyone.
  if (policy.allow_origin_value(origin) != "*") extra.push_back({"vary", "Origin"});
  co_await detail::send_edited_start(send, *start, extra);
}

asio::awaitable<void> apply_cors(const cors_policy& policy, const app_fn& next, scope& sc, receive_fn receive,
                                 send_fn send) {
  const std::string_view origin = sc.header_value("origin");
  if (sc.type == scope_type::websocket && !origin.empty() && !policy.origin_allowed(origin)) {
    // Browsers apply no CORS to WebSockets, and send Origin with every handshake: the
    // server's check is all that stops another site's page from opening one with the
    // user's cookies (cross-site WebSocket hijacking). Refused before accept: a 403.
    const websocket_close refusal{};
    co_return co_await send(refusal);
  }
  if (sc.type != scope_type::http || origin.empty()) co_return co_await next(sc, receive, send);
  if (sc.method == "OPTIONS" && !sc.header_value("access-control-request-method").empty())
    co_return co_await preflight(policy, origin, sc, send);
  if (!policy.origin_allowed(origin)) co_return co_await next(sc, receive, send);
  auto wrapped = [&](const send_event& event) { return add_cors_headers(policy, origin, send, event); };
  co_await next(sc, receive, wrapped);
}

}  // namespace

app_wrapper_fn cors(cors_options options) { return contract_middleware(cors_policy(std::move(options)), apply_cors); }

}  // namespace cogi
