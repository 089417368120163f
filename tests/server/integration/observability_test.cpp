// The runner's own endpoints on a real server: liveness, readiness (and its 503 once a
// shutdown begins), and Prometheus metrics that label requests by route template,
// count what is in flight, rejected and transferred, and leave the probes out.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

#include "cogi/framework/app.hpp"
#include "cogi/server/async/sleep.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/websocket_client.hpp"
#include "tests/support/tcp_stats.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

app_fn items_app() {
  static cogi::app app = [] {
    cogi::app a;
    a.get("/items/{id:int}", [](request& req) -> task<> {
      co_return text("item " + std::string(req.path_params().get("id")));
    });
    a.get("/slow", [](request&) -> task<> {
      co_await async::sleep_for(std::chrono::milliseconds(scaled(1s)));
      co_return text("slow");
    });
    a.mount("/files", [](scope&, receive_fn, send_fn send) -> asio::awaitable<void> {
      static constexpr header_field headers[] = {{"content-type", "text/plain"}};
      co_await send(response_start{200, headers});
      co_await send(response_body{"file", false});
    });
    return a;
  }();
  return app;
}

// The value of one sample line ("name{labels} value") in a metrics text, or -1.
double sample(const std::string& metrics, const std::string& series) {
  const auto at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 2));
}

std::string scrape(std::uint16_t port) {
  const auto response = get(port, "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type").value_or(""), "text/plain; version=0.0.4; charset=utf-8");
  return "\n" + response.body;
}

TEST(RunnerEndpoints, HealthAndReadinessAnswerWithoutTheApp) {
  running_server server(items_app());
  const auto health = get(server.port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  const auto ready = get(server.port(), "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_TRUE(server.get().ready());
  // Only GET and HEAD.
  raw_client client(server.port());
  client.send("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  const auto refused = client.read_response();
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.header("allow").value_or(""), "GET, HEAD");
  client.send("HEAD /readyz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response(true).status, 200);
}

TEST(RunnerEndpoints, ReadinessTurns503WhenShutdownBegins) {
  running_server server(items_app());
  // A request whose head is half sent when the shutdown begins is still served (the
  // drain lets it finish): it sees what a load balancer's probe would.
  raw_client probe(server.port());
  probe.send("GET /readyz HTTP/1.1\r\nHost: t\r\n");
  ASSERT_TRUE(eventually([&] { return peer_has_read_everything(probe.fd()); }, scaled(5s)));
  server.get().shutdown();
  EXPECT_FALSE(server.get().ready());
  probe.send("\r\n");
  const auto answer = probe.read_response();
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.body, "shutting down\n");
}

TEST(RunnerEndpoints, PathsAreConfigurableAndCanBeTurnedOff) {
  auto config = running_server::quiet_config();
  config.health_path = "/live";
  config.metrics_path = "";
  running_server server(items_app(), config);
  EXPECT_EQ(get(server.port(), "/live").status, 200);
  // Off the runner's list: the app's own 404.
  EXPECT_EQ(get(server.port(), "/healthz").status, 404);
  EXPECT_EQ(get(server.port(), "/metrics").status, 404);
}

TEST(Metrics, WebSocketsAreCountedAndTheirHandshakeLabelledByRoute) {
  cogi::app a;
  a.websocket("/ws/{room}", [](cogi::websocket& ws) -> cogi::task<void> {
    co_await ws.accept();
    while (auto message = co_await ws.next()) co_await ws.send_text(message->data());
  });
  running_server server(a);
  {
    websocket_client ws(server.port(), "/ws/lobby");
    ASSERT_EQ(ws.handshake_status(), 101);
    ws.send_text("one");
    ws.send_text("two");
    EXPECT_EQ(ws.next_message().payload, "one");
    EXPECT_EQ(ws.next_message().payload, "two");
    const std::string metrics = scrape(server.port());
    EXPECT_EQ(sample(metrics, "cogi_websockets_open"), 1);
    EXPECT_EQ(sample(metrics, "cogi_websocket_messages_received_total"), 2);
    EXPECT_EQ(sample(metrics, "cogi_websocket_messages_sent_total"), 2);
    EXPECT_EQ(sample(metrics, R"(http_requests_total{method="GET",route="/ws/{room}",status="101"})"), 1);
    EXPECT_EQ(metrics.find("lobby"), std::string::npos) << metrics;
    ws.send_close();
    EXPECT_EQ(ws.next_message().code, 1000);
  }
  EXPECT_TRUE(eventually([&] { return sample(scrape(server.port()), "cogi_websockets_open") == 0; },
                         scaled(std::chrono::seconds(5))));
}

TEST(Metrics, RequestsAreLabelledByRouteTemplateNeverByRawPath) {
  running_server server(items_app());
  EXPECT_EQ(get(server.port(), "/items/7").status, 200);
  EXPECT_EQ(get(server.port(), "/items/8").status, 200);
  EXPECT_EQ(get(server.port(), "/nowhere/9").status, 404);
  EXPECT_EQ(get(server.port(), "/files/a/b.txt").status, 200);
  EXPECT_EQ(get(server.port(), "/healthz").status, 200);  // the runner's: not counted
  const std::string metrics = scrape(server.port());
  EXPECT_EQ(sample(metrics, R"(http_requests_total{method="GET",route="/items/{id:int}",status="200"})"), 2);
  EXPECT_EQ(sample(metrics, R"(http_requests_total{method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(sample(metrics, R"(http_requests_total{method="GET",route="/files/{path:path}",status="200"})"), 1);
  EXPECT_EQ(sample(metrics, R"(http_request_duration_seconds_count{method="GET",route="/items/{id:int}"})"), 2);
  EXPECT_EQ(sample(metrics, R"(http_request_duration_seconds_bucket{method="GET",route="/items/{id:int}",le="+Inf"})"), 2);
  EXPECT_EQ(metrics.find("/items/7"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("/nowhere"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("healthz"), std::string::npos) << metrics;
  EXPECT_GT(sample(metrics, "cogi_received_bytes_total"), 0);
  EXPECT_GT(sample(metrics, "cogi_sent_bytes_total"), 0);
  EXPECT_EQ(sample(metrics, "cogi_ready"), 1);
  EXPECT_EQ(sample(metrics, "cogi_loops"), 1);
  EXPECT_GT(sample(metrics, "process_resident_memory_bytes"), 0);
  EXPECT_GE(sample(metrics, "process_cpu_seconds_total"), 0);
}

TEST(Metrics, InFlightCountsRequestsInTheApp) {
  auto config = running_server::quiet_config();
  config.loops = 2;
  running_server server(items_app(), config);
  raw_client slow(server.port(), scaled(10s));
  slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  // The scrape itself is the runner's, not in flight: only /slow is.
  EXPECT_TRUE(eventually([&] { return sample(scrape(server.port()), "http_requests_in_flight") == 1; }, scaled(5s)));
  EXPECT_EQ(slow.read_response().body, "slow");
  EXPECT_EQ(sample(scrape(server.port()), "http_requests_in_flight"), 0);
}

TEST(Metrics, RejectionsAreCountedByStatus) {
  auto config = running_server::quiet_config();
  config.limits.max_target_bytes = 64;
  running_server server(items_app(), config);
  raw_client no_host(server.port());
  no_host.send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(no_host.read_response().status, 400);
  raw_client long_target(server.port());
  long_target.send("GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(long_target.read_response().status, 414);
  const std::string metrics = scrape(server.port());
  EXPECT_EQ(sample(metrics, R"(cogi_requests_rejected_total{status="400"})"), 1);
  EXPECT_EQ(sample(metrics, R"(cogi_requests_rejected_total{status="414"})"), 1);
  EXPECT_EQ(sample(metrics, R"(cogi_requests_rejected_total{status="431"})"), 0);
}

}  // namespace
}  // namespace cogi::testing
