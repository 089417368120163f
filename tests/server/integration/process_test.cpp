// The demo binary as users run it: signals and graceful shutdown, exit codes, the
// command line and environment, and memory while streaming a large body.

#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/demo_process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/tcp_stats.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

bool read_by_server(const raw_client& client) { return peer_has_read_everything(client.fd()); }

TEST(Process, GracefulShutdownFinishesInFlightRequestsAndExitsZero) {
  demo_process demo({"--timeout-graceful-shutdown", "10"});
  raw_client idle(demo.port);
  idle.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(idle.read_response().status, 200);

  std::vector<raw_client> busy;
  for (int i = 0; i < 12; ++i) {
    busy.emplace_back(demo.port);
    busy.back().send("GET /sleep?ms=1000 HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  // In flight once the server has read them.
  ASSERT_TRUE(eventually([&] { return std::all_of(busy.begin(), busy.end(), read_by_server); }, scaled(5s)));
  const auto signalled = std::chrono::steady_clock::now();
  demo.process.signal(SIGTERM);

  // The idle keep-alive connection is closed at once, long before the sleeps end.
  EXPECT_TRUE(idle.closed_by_peer(scaled(500ms)));
  // New connections are refused once the listeners have closed.
  EXPECT_TRUE(eventually([&] {
    try {
      raw_client late(demo.port);
      late.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
      return late.closed_by_peer(200ms);
    } catch (const std::exception&) {
      return true;  // refused outright
    }
  }, scaled(2s)));
  // Every in-flight request completes, told that the connection closes.
  for (auto& client : busy) {
    const auto response = client.read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "ok");
    EXPECT_EQ(response.header("connection"), "close");
  }
  const auto status = demo.process.wait_exit(scaled(5s));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0) << demo.process.output();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, scaled(4s));
}

TEST(Process, GracePeriodBoundsShutdown) {
  demo_process demo({"--timeout-graceful-shutdown", "0.5"});
  raw_client client(demo.port);
  client.send("GET /sleep?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return read_by_server(client); }, scaled(5s)));
  const auto signalled = std::chrono::steady_clock::now();
  demo.process.signal(SIGINT);
  const auto status = demo.process.wait_exit(scaled(5s));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, scaled(3s));
  const std::string log = demo.process.output();
  EXPECT_NE(log.find("graceful shutdown timed out"), std::string::npos);
  EXPECT_EQ(log.find("ERROR"), std::string::npos) << log;  // the cancelled request is no app fault
}

// Issue 12: an open Server-Sent Events stream used to hold the drain for the whole
// grace period and then log "ERROR ... Operation aborted". Now the stream is told to
// end: its client gets a complete response and the process exits at once, cleanly.
TEST(Process, SigtermEndsOpenEventStreamsPromptlyAndQuietly) {
  demo_process demo({"--timeout-graceful-shutdown", "30"});
  raw_client sse(demo.port, 20s);
  sse.send("GET /events/clock?interval_ms=100 HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string first = sse.read_until_contains("event: tick\n");  // streaming now
  const auto signalled = std::chrono::steady_clock::now();
  demo.process.signal(SIGTERM);
  const std::string rest = sse.read_until_close();
  EXPECT_NE((first + rest).find("\r\n0\r\n\r\n"), std::string::npos) << "no last chunk: " << rest;
  const auto status = demo.process.wait_exit(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);
  const std::string log = demo.process.output();
  EXPECT_EQ(log.find("ERROR"), std::string::npos) << log;
  EXPECT_EQ(log.find("timed out"), std::string::npos) << log;
}

TEST(Process, OneLoopRunsOnTheMainThreadAlone) {
  demo_process demo({"--loops", "1"});
  // One thread in all (no signal or helper threads): the kernel then skips reference
  // counting on every socket call, which the per-core figures rely on.
  const auto tasks = std::filesystem::path("/proc") / std::to_string(demo.process.pid()) / "task";
  const auto threads = std::distance(std::filesystem::directory_iterator(tasks), std::filesystem::directory_iterator());
  EXPECT_EQ(threads, 1);
  // Signals still reach it there, and shutdown stays graceful.
  raw_client client(demo.port);
  client.send("GET /sleep?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return read_by_server(client); }, scaled(5s)));
  demo.process.signal(SIGTERM);
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(demo.process.wait_exit(5s), 0);
}

TEST(Process, SecondSignalExitsAtOnce) {
  demo_process demo({"--timeout-graceful-shutdown", "30"});
  raw_client client(demo.port);
  client.send("GET /sleep?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return read_by_server(client); }, scaled(5s)));
  demo.process.signal(SIGTERM);
  // A second signal sent before the first is handled would merge with it: wait for the
  // server to say it is shutting down.
  ASSERT_TRUE(demo.process.wait_for_output("Shutting down", scaled(5s)).has_value());
  demo.process.signal(SIGTERM);
  const auto status = demo.process.wait_exit(2s);
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(*status, 0);
}

TEST(Process, HelpListsFlagsAndExitsZero) {
  child_process help(COGI_DEMO_PATH, {"--help"});
  ASSERT_EQ(help.wait_exit(5s), 0);
  const auto text = help.output();
  EXPECT_NE(text.find("--timeout-keep-alive"), std::string::npos);
  EXPECT_NE(text.find("[default: 5]"), std::string::npos);
}

TEST(Process, BadValueExitsTwoWithAMessage) {
  child_process bad(COGI_DEMO_PATH, {"--loops", "many"});
  ASSERT_EQ(bad.wait_exit(5s), 2);
  EXPECT_NE(bad.output().find("invalid value for --loops"), std::string::npos);
  child_process bad_env(COGI_DEMO_PATH, {}, {"COGI_TIMEOUT_KEEP_ALIVE=later"});
  ASSERT_EQ(bad_env.wait_exit(5s), 2);
  EXPECT_NE(bad_env.output().find("COGI_TIMEOUT_KEEP_ALIVE"), std::string::npos);
}

TEST(Process, EnvironmentConfiguresTheServer) {
  demo_process demo({}, {"COGI_LIMIT_BODY_BYTES=10"});
  raw_client client(demo.port);
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 413);
}

TEST(Process, AddressInUseExitsOne) {
  demo_process first({});
  child_process second(COGI_DEMO_PATH, {"--port", std::to_string(first.port)});
  ASSERT_EQ(second.wait_exit(5s), 1);
  EXPECT_NE(second.output().find("error while attempting to bind"), std::string::npos);
}

unsigned char pattern(std::size_t i) { return static_cast<unsigned char>((i * 31 + i / 4093) & 0xff); }

TEST(Process, StreamsA64MiBChunkedEchoWithFlatMemory) {
  demo_process demo({"--loops", "1", "--limit-body-bytes", "0"});
  constexpr std::size_t total = 64u * 1024 * 1024;
  constexpr std::size_t piece = 256 * 1024;
  raw_client client(demo.port, 30s);
  const long baseline_kib = demo.process.resident_kib();
  std::atomic<long> peak_kib{baseline_kib};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      const long now = demo.process.resident_kib();
      if (now > peak_kib) peak_kib = now;
      std::this_thread::sleep_for(20ms);
    }
  });
  std::thread sender([&] {
    client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk;
    char size_line[32];
    for (std::size_t offset = 0; offset < total; offset += piece) {
      chunk.clear();
      for (std::size_t i = 0; i < piece; ++i) chunk.push_back(static_cast<char>(pattern(offset + i)));
      std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece);
      client.send(size_line);
      client.send(chunk);
      client.send("\r\n");
    }
    client.send("0\r\n\r\n");
  });
  const auto response = client.read_response();  // concurrently with the sender
  sender.join();
  done = true;
  sampler.join();
  ASSERT_EQ(response.status, 200);
  ASSERT_EQ(response.body.size(), total);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < total; ++i) mismatches += static_cast<unsigned char>(response.body[i]) != pattern(i);
  EXPECT_EQ(mismatches, 0u);
  // The server holds a buffer or two, never the body: growth far below 64 MiB.
  EXPECT_LT(peak_kib - baseline_kib, 8 * 1024) << "baseline " << baseline_kib << " KiB, peak " << peak_kib << " KiB";
}

}  // namespace
}  // namespace cogi::testing
