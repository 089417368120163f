// The demo app: the fixed routes of DESIGN.md §5, used by tests, the bench and outside
// conformance checks. Written against the bare contract until the framework's router
// exists (issue 4).

#include "examples/demo_app.hpp"

#include <charconv>
#include <string>
#include <string_view>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <picojson.h>

namespace cogi::examples {
namespace {


using cogi::header;

// The value of `key` in a raw query string, or an empty view.
std::string_view query_param(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

long long int_param(std::string_view query, std::string_view key, long long fallback, long long max) {
  const auto text = query_param(query, key);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return fallback;
  return value > max ? max : value;
}

asio::awaitable<void> respond(cogi::send_fn send, int status, std::string_view content_type, std::string_view body,
                              std::span<const header> extra = {}) {
  header headers[4] = {{"content-type", content_type}};
  std::size_t count = 1;
  for (const auto& h : extra) headers[count++] = h;
  co_await send(cogi::response_start{status, std::span(headers, count)});
  co_await send(cogi::response_body{body, false});
}

asio::awaitable<void> echo(cogi::receive_fn receive, cogi::send_fn send) {
  // Streams the body back piece by piece: never holds more than one piece. The first
  // piece is read before the response starts, so that a client that sent
  // "Expect: 100-continue" gets its 100 and a malformed body can still be a 400.
  auto event = co_await receive();
  if (event.type != cogi::receive_type::http_request) co_return;  // client gone or bad body
  static constexpr header headers[] = {{"content-type", "application/octet-stream"}};
  co_await send(cogi::response_start{200, headers});
  for (;;) {
    if (!event.body.empty() || !event.more_body) co_await send(cogi::response_body{event.body, event.more_body});
    if (!event.more_body) co_return;
    event = co_await receive();
    if (event.type != cogi::receive_type::http_request) co_return;
  }
}

asio::awaitable<void> stream(std::string_view query, cogi::send_fn send) {
  const long long n = int_param(query, "n", 10, 100'000);
  static constexpr header headers[] = {{"content-type", "text/plain; charset=utf-8"}};
  co_await send(cogi::response_start{200, headers});
  std::string line;
  for (long long i = 0; i < n; ++i) {
    line = "chunk " + std::to_string(i) + "\n";
    co_await send(cogi::response_body{line, true});
  }
  co_await send(cogi::response_body{{}, false});
}

asio::awaitable<void> sleep_route(std::string_view query, cogi::send_fn send) {
  const long long ms = int_param(query, "ms", 0, 60'000);
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await timer.async_wait(asio::use_awaitable);
  co_await respond(send, 200, "text/plain; charset=utf-8", "ok");
}

}  // namespace

asio::awaitable<void> demo_app(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) {
  if (scope.type == cogi::scope_type::lifespan) {
    // Nothing to set up; answer the protocol so startup is explicit.
    co_await receive();
    co_await send(cogi::lifespan_startup_complete{});
    co_await receive();
    co_await send(cogi::lifespan_shutdown_complete{});
    co_return;
  }
  const std::string_view path = scope.path;
  const std::string_view method = scope.method;
  const bool get = method == "GET" || method == "HEAD";
  std::string_view allow;
  if (path == "/plaintext") {
    if (get) co_return co_await respond(send, 200, "text/plain", "Hello, World!");
    allow = "GET, HEAD";
  } else if (path == "/json") {
    if (get) {
      picojson::object object;
      object["message"] = picojson::value("Hello, World!");
      const std::string body = picojson::value(std::move(object)).serialize();
      co_return co_await respond(send, 200, "application/json", body);
    }
    allow = "GET, HEAD";
  } else if (path == "/echo") {
    if (method == "POST") co_return co_await echo(receive, send);
    allow = "POST";
  } else if (path == "/stream") {
    if (get) co_return co_await stream(scope.query_string, send);
    allow = "GET, HEAD";
  } else if (path == "/sleep") {
    if (get) co_return co_await sleep_route(scope.query_string, send);
    allow = "GET, HEAD";
  } else {
    co_return co_await respond(send, 404, "text/plain; charset=utf-8", "Not Found\n");
  }
  const header allow_header[] = {{"allow", allow}};
  co_await respond(send, 405, "text/plain; charset=utf-8", "Method Not Allowed\n", allow_header);
}


}  // namespace cogi::examples
