#include "cogi/server/runtime/runner_endpoints.hpp"

#include <string>

#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/metrics_exposition.hpp"
#include "cogi/server/runtime/server_view.hpp"

namespace cogi::runtime {
namespace {

asio::awaitable<void> answer(send_fn send, int status, std::string_view content_type, std::string_view body,
                             bool allow_header = false) {
  const std::string length = std::to_string(body.size());
  const header_field headers[] = {{"content-type", content_type},
                            {"content-length", length},
                            {"cache-control", "no-store"},
                            {"allow", "GET, HEAD"}};
  const response_start start{status, std::span<const header_field>(headers, allow_header ? 4 : 3)};
  co_await send(start);
  const response_body last{body, false};
  co_await send(last);
}

// Ready: the server says so (startup done, no shutdown begun), and this loop is not
// draining either.
bool ready(const event_loop& loop) {
  return loop.view() != nullptr && loop.view()->ready.load(std::memory_order_relaxed) && !loop.draining();
}

}  // namespace

bool is_runner_endpoint(const event_loop& loop, std::string_view raw_path) {
  const server_config& config = loop.config();
  return (!config.health_path.empty() && raw_path == config.health_path) ||
         (!config.ready_path.empty() && raw_path == config.ready_path) ||
         (!config.metrics_path.empty() && raw_path == config.metrics_path);
}

asio::awaitable<void> serve_runner_endpoint(const event_loop& loop, scope& request, receive_fn, send_fn send) {
  constexpr std::string_view text = "text/plain; charset=utf-8";
  if (request.method != "GET" && request.method != "HEAD") {
    co_await answer(send, 405, text, "Method Not Allowed\n", true);
    co_return;
  }
  const server_config& config = loop.config();
  // The path as received: the scope's has --root-path in front.
  const std::string_view path = request.raw_path.substr(request.root_path.size());
  if (path == config.health_path) {
    co_await answer(send, 200, text, "ok\n");
  } else if (path == config.ready_path) {
    if (ready(loop)) {
      co_await answer(send, 200, text, "ready\n");
    } else {
      co_await answer(send, 503, text, loop.draining() || loop.view() == nullptr ? "shutting down\n" : "not ready\n");
    }
  } else {
    std::string body;
    if (loop.view() != nullptr) append_metrics(body, *loop.view());
    co_await answer(send, 200, metrics_content_type, body);
  }
}

}  // namespace cogi::runtime
