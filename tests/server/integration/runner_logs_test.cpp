// The runner's logs, as an operator reads them from the demo's output: the access log
// (--access-log, its formats, the probes left out), X-Forwarded-For from a trusted proxy
// (--proxy-headers, on by default for 127.0.0.1), and --log-format json.

#include <gtest/gtest.h>
#include <picojson.h>

#include <signal.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/demo_process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

// Stops the demo (SIGTERM: every loop writes what its access log holds) and returns
// all it wrote.
std::string stop(demo_process& demo) {
  demo.process.signal(SIGTERM);
  EXPECT_EQ(demo.process.wait_exit(scaled(10s)), 0);
  return demo.process.output();
}

http_response request(std::uint16_t port, const std::string& target, const std::string& extra_headers = "") {
  raw_client client(port);
  client.send("GET " + target + " HTTP/1.1\r\nHost: t\r\nUser-Agent: cogi-test\r\n" + extra_headers + "\r\n");
  return client.read_response();
}

std::vector<std::string> lines_with(const std::string& output, const std::string& text) {
  std::vector<std::string> found;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (line.find(text) != std::string::npos) found.push_back(line);
  return found;
}

picojson::object parse_object(const std::string& line) {
  picojson::value value;
  const std::string error = picojson::parse(value, line);
  EXPECT_TRUE(error.empty()) << error << " in " << line;
  return value.is<picojson::object>() ? value.get<picojson::object>() : picojson::object{};
}

TEST(RunnerAccessLog, JsonLinesNameTheClientATrustedProxyForwarded) {
  demo_process demo({"--access-log", "--access-log-format", "json"});
  ASSERT_EQ(request(demo.port, "/plaintext?x=1", "X-Forwarded-For: 203.0.113.7, 127.0.0.1\r\n").status, 200);
  ASSERT_EQ(request(demo.port, "/healthz").status, 200);
  ASSERT_EQ(request(demo.port, "/missing").status, 404);
  const std::string output = stop(demo);
  const auto plaintext = lines_with(output, R"("path":"/plaintext")");
  ASSERT_EQ(plaintext.size(), 1u) << output;
  const auto line = parse_object(plaintext[0]);
  EXPECT_EQ(line.at("client").get<std::string>(), "203.0.113.7");
  EXPECT_EQ(line.at("method").get<std::string>(), "GET");
  EXPECT_EQ(line.at("query").get<std::string>(), "x=1");
  EXPECT_EQ(line.at("status").get<std::int64_t>(), 200);
  EXPECT_EQ(line.at("bytes").get<std::int64_t>(), 13);
  EXPECT_EQ(line.at("user_agent").get<std::string>(), "cogi-test");
  EXPECT_GE(line.at("duration_ms").get<double>(), 0.0);
  EXPECT_EQ(lines_with(output, R"("path":"/missing")").size(), 1u) << output;
  // The probes stay out of the access log by default.
  EXPECT_TRUE(lines_with(output, "/healthz").empty()) << output;
}

TEST(RunnerAccessLog, CombinedByDefaultProbesOnRequestAndUntrustedForwardingIgnored) {
  demo_process demo({"--access-log", "--log-probes", "--no-proxy-headers"});
  ASSERT_EQ(request(demo.port, "/json", "Referer: http://r.example/\r\nX-Forwarded-For: 203.0.113.7\r\n").status, 200);
  ASSERT_EQ(request(demo.port, "/healthz").status, 200);
  const std::string output = stop(demo);
  const auto json = lines_with(output, "\"GET /json HTTP/1.1\"");
  ASSERT_EQ(json.size(), 1u) << output;
  // Apache's combined format; the client is the socket's peer, not what the header says.
  EXPECT_TRUE(json[0].starts_with("127.0.0.1 - - [")) << json[0];
  EXPECT_NE(json[0].find("] \"GET /json HTTP/1.1\" 200 27 \"http://r.example/\" \"cogi-test\""), std::string::npos)
      << json[0];
  EXPECT_EQ(lines_with(output, "\"GET /healthz HTTP/1.1\" 200").size(), 1u) << output;
}

TEST(RunnerAccessLog, ForwardedHeadersFromAnUntrustedPeerAreIgnored) {
  // Only 10.0.0.0/8 is trusted: the loopback client's X-Forwarded-For is anybody's claim.
  demo_process demo({"--access-log", "--access-log-format", "%h %s", "--forwarded-allow-ips", "10.0.0.0/8"});
  ASSERT_EQ(request(demo.port, "/plaintext", "X-Forwarded-For: 203.0.113.7\r\n").status, 200);
  const std::string output = stop(demo);
  EXPECT_EQ(lines_with(output, "127.0.0.1 200").size(), 1u) << output;
  EXPECT_TRUE(lines_with(output, "203.0.113.7").empty()) << output;
}

TEST(RunnerLog, JsonFormatWritesOneObjectPerLine) {
  demo_process demo({"--log-format", "json"});
  const std::string output = stop(demo);
  const auto started = lines_with(output, "Application startup complete.");
  ASSERT_EQ(started.size(), 1u) << output;
  const auto line = parse_object(started[0]);
  EXPECT_EQ(line.at("level").get<std::string>(), "info");
  EXPECT_EQ(line.at("message").get<std::string>(), "Application startup complete.");
  EXPECT_EQ(line.at("time").get<std::string>().size(), std::string("2026-11-30T16:15:39.123Z").size());
  // Every line the server wrote is JSON.
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) EXPECT_TRUE(text.starts_with("{\"time\":")) << text;
}

TEST(RunnerFlags, BadAccessLogFormatOrProxyListExitsTwo) {
  child_process bad_format(COGI_DEMO_PATH, {"--access-log-format", "%Z"});
  ASSERT_EQ(bad_format.wait_exit(5s), 2);
  EXPECT_NE(bad_format.output().find("invalid value for --access-log-format"), std::string::npos);
  child_process bad_ips(COGI_DEMO_PATH, {"--forwarded-allow-ips", "10.0.0.0/99"});
  ASSERT_EQ(bad_ips.wait_exit(5s), 2);
  EXPECT_NE(bad_ips.output().find("bad prefix length"), std::string::npos);
  child_process bad_path(COGI_DEMO_PATH, {"--metrics-path", "metrics"});
  ASSERT_EQ(bad_path.wait_exit(5s), 2);
}

TEST(RunnerFlags, HealthcheckAsksTheServerItsSettingsDescribe) {
  demo_process demo({});
  // As a container's HEALTHCHECK runs it: the same program, settings from the environment.
  child_process healthy(COGI_DEMO_PATH, {"--healthcheck"}, {"COGI_PORT=" + std::to_string(demo.port)});
  EXPECT_EQ(healthy.wait_exit(scaled(5s)), 0) << healthy.output();
  child_process wildcard(COGI_DEMO_PATH, {"--healthcheck", "--host", "0.0.0.0", "--port", std::to_string(demo.port)});
  EXPECT_EQ(wildcard.wait_exit(scaled(5s)), 0) << wildcard.output();
  child_process off(COGI_DEMO_PATH, {"--healthcheck", "--port", std::to_string(demo.port), "--health-path", "off"});
  EXPECT_EQ(off.wait_exit(scaled(5s)), 1);
  const std::uint16_t port = demo.port;
  stop(demo);
  child_process nobody(COGI_DEMO_PATH, {"--healthcheck", "--port", std::to_string(port)});
  EXPECT_EQ(nobody.wait_exit(scaled(5s)), 1);
  EXPECT_NE(nobody.output().find("--healthcheck:"), std::string::npos) << nobody.output();
}

}  // namespace
}  // namespace cogi::testing
