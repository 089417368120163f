// The contract seen from an app on the real server: scope contents, app failures (500
// before response.start, close after), misuse, the disconnect error, lifespan and
// per-loop state, several loops, Unix sockets and SO_REUSEPORT listeners.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>

#include "examples/demo/demo_app.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/waiting.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

asio::awaitable<void> send_text(send_fn send, std::string_view text) {
  co_await send(response_start{200, {}});
  co_await send(response_body{text, false});
}

TEST(Contract, ScopeDescribesTheRequest) {
  std::string seen;
  const auto app = [&seen](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::http) co_return;  // no lifespan support needed
    seen = std::string(s.method) + "|" + std::string(s.path) + "|" + std::string(s.raw_path) + "|" +
           std::string(s.query_string) + "|" + std::string(s.http_version) + "|" + std::string(s.scheme) + "|" +
           std::string(s.header_value("x-one")) + "|" + s.client->host + "|" + std::to_string(s.server->port);
    std::string names;
    for (const auto& h : s.headers) names += std::string(h.name) + ",";
    seen += "|" + names;
    co_await send_text(send, "ok");
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("PUT /a%20b/c?x=%20&y HTTP/1.1\r\nHost: t\r\nX-One: 1\r\nx-ONE: 2\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  EXPECT_EQ(seen, "PUT|/a b/c|/a%20b/c|x=%20&y|1.1|http|1|127.0.0.1|" + std::to_string(server.port()) +
                      "|host,x-one,x-one,connection,");
}

TEST(Contract, RootPathPrefixesPathLikeUvicorn) {
  std::string seen;
  const auto app = [&seen](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    seen = std::string(s.root_path) + "|" + std::string(s.path) + "|" + std::string(s.raw_path);
    co_await send_text(send, "ok");
  };
  auto config = running_server::quiet_config();
  config.root_path = "/api";
  running_server server(app, config);
  EXPECT_EQ(get(server.port(), "/x%2Fy").status, 200);
  EXPECT_EQ(seen, "/api|/api/x/y|/api/x%2Fy");
}

TEST(Contract, ExceptionBeforeStartIs500AndTheServerGoesOn) {
  const auto app = [](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    if (s.path == "/boom") throw std::runtime_error("secret internal detail");
    co_await send_text(send, "fine");
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);  // internals never leak
  client.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");  // and the connection is still usable
  EXPECT_EQ(client.read_response().body, "fine");
}

TEST(Contract, Http500ToHeadHasNoBody) {
  const auto app = [](scope&, receive_fn, send_fn) -> asio::awaitable<void> {
    throw std::runtime_error("fails for every method");
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_response(true).status, 500);
  const auto second = client.read_response();  // parses only if HEAD's 500 had no body
  EXPECT_EQ(second.status, 500);
  EXPECT_FALSE(second.body.empty());
}

TEST(Contract, ExceptionAfterStartClosesTheConnection) {
  const auto app = [](scope&, receive_fn, send_fn send) -> asio::awaitable<void> {
    co_await send(response_start{200, {}});
    co_await send(response_body{"partial", true});
    throw std::runtime_error("failed mid-stream");
  };
  running_server server(app);
  raw_client client(server.port());
  client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string bytes = client.read_until_close();
  EXPECT_NE(bytes.find("partial"), std::string::npos);
  EXPECT_EQ(bytes.find("0\r\n\r\n"), std::string::npos);  // never a complete chunked body
}

TEST(Contract, AppReturningWithoutAResponseIs500) {
  const auto app = [](scope&, receive_fn, send_fn) -> asio::awaitable<void> { co_return; };
  running_server server(app);
  EXPECT_EQ(get(server.port(), "/").status, 500);
}

TEST(Contract, MisuseRaisesProtocolError) {
  std::atomic<int> errors{0};
  const auto app = [&errors](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    try {
      if (s.path == "/body-first") co_await send(response_body{"x", false});
      if (s.path == "/two-starts") {
        co_await send(response_start{200, {}});
        co_await send(response_start{200, {}});
      }
      if (s.path == "/lifespan-event") co_await send(lifespan_startup_complete{});
    } catch (const protocol_error&) {
      ++errors;
      throw;
    }
  };
  running_server server(app);
  EXPECT_EQ(get(server.port(), "/body-first").status, 500);
  EXPECT_EQ(get(server.port(), "/lifespan-event").status, 500);
  // Nothing was written before the second start: the client still gets a clean 500.
  const auto two_starts = get(server.port(), "/two-starts");
  EXPECT_EQ(two_starts.status, 500);
  EXPECT_EQ(two_starts.header("connection"), "close");
  EXPECT_EQ(errors.load(), 3);
}

TEST(Contract, SendAfterTheClientLeftRaisesClientDisconnected) {
  std::atomic<bool> disconnected{false};
  std::atomic<bool> other_error{false};
  const auto app = [&](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    if (s.path == "/ok") co_return co_await send_text(send, "still serving");
    co_await send(response_start{200, {}});
    const std::string chunk(64 * 1024, 'x');
    try {
      for (int i = 0; i < 10'000; ++i) co_await send(response_body{chunk, true});
    } catch (const client_disconnected&) {
      disconnected = true;
      throw;
    } catch (...) {
      other_error = true;
      throw;
    }
  };
  running_server server(app);
  {
    raw_client client(server.port());
    client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    client.read_until_contains("xxxxxxxx");  // streaming now
  }  // the client goes away mid-stream
  EXPECT_TRUE(eventually([&] { return disconnected.load(); }, scaled(std::chrono::seconds(5))));
  EXPECT_FALSE(other_error);
  EXPECT_EQ(get(server.port(), "/ok").body, "still serving");
}

TEST(Contract, LifespanStartupStateReachesRequestsAndShutdownRuns) {
  std::atomic<int> startups{0};
  std::atomic<int> shutdowns{0};
  const auto app = [&](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type == scope_type::lifespan) {
      co_await receive();
      s.state->set("greeting", std::string("hello from startup"));
      ++startups;
      co_await send(lifespan_startup_complete{});
      co_await receive();
      ++shutdowns;
      co_await send(lifespan_shutdown_complete{});
      co_return;
    }
    co_await send_text(send, *s.state->get<std::string>("greeting"));
  };
  auto config = running_server::quiet_config();
  config.loops = 2;
  {
    running_server server(app, config);
    EXPECT_EQ(startups.load(), 2);  // once per loop, before accepting
    EXPECT_EQ(get(server.port(), "/").body, "hello from startup");
    EXPECT_EQ(shutdowns.load(), 0);
  }
  EXPECT_EQ(shutdowns.load(), 2);
}

TEST(Contract, FailedStartupAbortsTheLaunchWithTheAppsMessage) {
  const auto app = [](scope& s, receive_fn receive, send_fn send) -> asio::awaitable<void> {
    if (s.type == scope_type::lifespan) {
      co_await receive();
      co_await send(lifespan_startup_failed{"database unreachable"});
    }
  };
  // Both ways of starting: start() (every loop on its own thread) and run() (loop 0 on
  // this thread; what cogi::run() uses).
  for (const bool on_this_thread : {false, true}) {
    auto config = running_server::quiet_config();
    config.loops = 2;
    cogi::server server(app, config);
    try {
      on_this_thread ? server.run() : server.start();
      FAIL() << "should have thrown";
    } catch (const startup_error& error) {
      EXPECT_STREQ(error.what(), "database unreachable");
    }
  }
}

TEST(Contract, AppWithoutLifespanSupportIsServed) {
  const auto app = [](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::http) throw std::runtime_error("only http");
    co_await send_text(send, "served");
  };
  running_server server(app);
  EXPECT_EQ(get(server.port(), "/").body, "served");
}

// Records which loop thread served each request; /sleep keeps connections busy so that
// several are open at once.
struct thread_recorder {
  std::mutex mutex;
  std::set<std::thread::id> threads;
};

TEST(Contract, TwoLoopsBothServe) {
  thread_recorder recorder;
  const auto app = [&recorder](scope&, receive_fn, send_fn send) -> asio::awaitable<void> {
    {
      std::lock_guard lock(recorder.mutex);
      recorder.threads.insert(std::this_thread::get_id());
    }
    co_await send_text(send, "ok");
  };
  for (const bool reuse_port : {false, true}) {
    recorder.threads.clear();
    auto config = running_server::quiet_config();
    config.loops = 2;
    config.reuse_port = reuse_port;
    running_server server(app, config);
    std::vector<raw_client> clients;
    for (int i = 0; i < 16; ++i) clients.emplace_back(server.port());
    for (auto& c : clients) c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    for (auto& c : clients) EXPECT_EQ(c.read_response().status, 200);
    EXPECT_EQ(recorder.threads.size(), 2u) << "reuse_port=" << reuse_port;
  }
}

TEST(Contract, UnixSocketServes) {
  const std::string path = "/tmp/cogi-test-" + std::to_string(::getpid()) + ".sock";
  auto config = running_server::quiet_config();
  config.uds = path;
  config.binds = {{"127.0.0.1", 0}};
  std::string client_host = "unset";
  const auto app = [&client_host](scope& s, receive_fn, send_fn send) -> asio::awaitable<void> {
    if (s.type != scope_type::http) co_return;
    client_host = s.client->host;
    co_await send_text(send, "over unix");
  };
  {
    running_server server(app, config);
    auto client = raw_client::unix_socket(path);
    client.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(client.read_response().body, "over unix");
    EXPECT_TRUE(client.closed_by_peer());
    EXPECT_EQ(client_host, "");  // an unnamed Unix peer
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0) << "socket file left behind";
}

TEST(Contract, BindFailureIsReported) {
  running_server first(examples::demo_app());
  auto config = running_server::quiet_config();
  config.port = first.port();
  cogi::server second(examples::demo_app(), config);
  EXPECT_THROW(second.start(), std::system_error);
}

}  // namespace
}  // namespace cogi::testing
