// The demo app on the framework (see demo_app.hpp for its routes).

#include "examples/demo/demo_app.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "examples/demo/items_api.hpp"
#include "cogi/framework/sse.hpp"
#include "cogi/middleware/static_files.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/http/http_date.hpp"

namespace cogi::examples {
namespace {

// A non-negative integer query parameter, clamped to `max`; `fallback` when absent or
// not a number.
long long int_param(request& req, std::string_view key, long long fallback, long long max) {
  const auto text = req.query().get(key);
  if (!text) return fallback;
  long long value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < 0) return fallback;
  return value > max ? max : value;
}

task<> plaintext(request&) { co_return text("Hello, World!"); }

task<> json_message(request&) {
  picojson::object message;
  message["message"] = picojson::value("Hello, World!");
  co_return json(picojson::value(std::move(message)));
}

asio::awaitable<void> echo_rest(request& req, std::optional<std::string_view> first, body_writer& out) {
  // `first` is still valid: nothing has called receive() since the handler read it.
  if (first) co_await out.write(*first);
  while (auto piece = co_await req.read_chunk()) co_await out.write(*piece);
}

// Streams the body back piece by piece: never holds more than one piece. The first piece
// is read before the response starts, so that a client that sent "Expect: 100-continue"
// gets its 100, and a malformed body can still be a 400.
task<> echo(request& req) {
  const auto first = co_await req.read_chunk();
  co_return stream([&req, first](body_writer& out) { return echo_rest(req, first, out); },
                   "application/octet-stream");
}

asio::awaitable<void> count_chunks(long long n, body_writer& out) {
  std::string line;
  for (long long i = 0; i < n; ++i) {
    line = "chunk " + std::to_string(i) + "\n";
    co_await out.write(line);
  }
}

task<> stream_route(request& req) {
  const long long n = int_param(req, "n", 10, 100'000);
  co_return stream([n](body_writer& out) { return count_chunks(n, out); });
}

task<> sleep_route(request& req) {
  const long long ms = int_param(req, "ms", 0, 60'000);
  co_await async::sleep_for(std::chrono::milliseconds(ms));
  co_return text("ok");
}

asio::awaitable<void> tick(std::chrono::milliseconds interval, long long count, sse_writer& out) {
  for (long long i = 0; count == 0 || i < count; ++i) {
    if (i > 0) co_await async::sleep_for(interval);
    const std::string now = http::format_http_date(std::time(nullptr));
    const std::string id = std::to_string(i);
    co_await out.send(now, "tick", id);
  }
}

// GET /events/clock?interval_ms=1000&count=0 (0: forever)
task<> clock(request& req) {
  const auto interval = std::chrono::milliseconds(int_param(req, "interval_ms", 1000, 60'000));
  const long long count = int_param(req, "count", 0, 1'000'000);
  co_return event_stream([interval, count](sse_writer& out) { return tick(interval, count, out); });
}

// WebSocket /ws/echo: every message back as it came, text as text and bytes as bytes.
task<void> websocket_echo(websocket& ws) {
  co_await ws.accept();
  while (auto message = co_await ws.next()) {
    if (message->is_text()) {
      co_await ws.send_text(message->data());
    } else {
      co_await ws.send_bytes(message->data());
    }
  }
}

task<> home(request&) { co_return redirect("/static/", 307); }

std::string static_dir(const demo_options& options) {
  if (!options.static_dir.empty()) return options.static_dir;
  if (const char* env = std::getenv("COGI_DEMO_STATIC_DIR"); env && *env) return env;
  return COGI_DEMO_STATIC_DIR;
}

}  // namespace

cogi::app make_demo_app(const demo_options& options) {
  cogi::app app;
  app.get("/plaintext", plaintext).summary("Hello, World! as text");
  app.get("/json", json_message).summary("Hello, World! as JSON");
  app.post("/echo", echo).summary("The request body, streamed back");
  app.get("/stream", stream_route).summary("A chunked response of ?n= chunks");
  app.get("/sleep", sleep_route).summary("ok after ?ms= milliseconds");
  app.include("/items", items_api(), "items");
  app.get("/events/clock", clock).summary("Server-Sent Events: the time every second");
  app.websocket("/ws/echo", websocket_echo);
  app.get("/", home).hidden();
  // GET /openapi.json and the Swagger UI at GET /docs (framework/openapi/openapi.hpp).
  app.openapi({.title = "cogi demo", .version = "1.0.0", .description = "The routes of docs/demo.md."});
  app.mount("/static", static_files(static_dir(options), {.html = true}), "static");
  return app;
}

}  // namespace cogi::examples
