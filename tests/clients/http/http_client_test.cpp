// cogi::http_client against real servers on loopback: cogi itself (the framework's
// routes, the demo), and a deliberately misbehaving server (tests/support/
// scripted_server.hpp) for every way a response can go wrong. nginx has its own file.

#include "cogi/clients/http/client.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "cogi/framework/app.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "examples/demo/demo_app.hpp"
#include "tests/support/run_until_done.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;


std::string gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string port_of(const request& req) { return std::to_string(req.client()->port); }

// What the client is tested against: routes that show what it sent.
cogi::app test_app() {
  cogi::app app;
  app.get("/hello", [](request&) -> task<> { co_return text("hello"); });
  app.get("/peer", [](request& req) -> task<> { co_return text(port_of(req)); });
  // The request as the server saw it, as JSON.
  auto inspect = [](request& req) -> task<> {
    picojson::object seen;
    seen["method"] = picojson::value(std::string(req.method()));
    seen["content_type"] = picojson::value(std::string(req.header("Content-Type")));
    seen["authorization"] = picojson::value(std::string(req.header("Authorization")));
    seen["x_test"] = picojson::value(std::string(req.header("X-Test")));
    seen["transfer_encoding"] = picojson::value(std::string(req.header("Transfer-Encoding")));
    const std::string_view body = co_await req.body();
    seen["body"] = picojson::value(std::string(body));
    co_return json(picojson::value(seen));
  };
  app.get("/inspect", inspect);
  app.post("/inspect", inspect);
  app.put("/inspect", inspect);
  app.get("/redirect/{n}", [](request& req) -> task<> {
    const auto n = req.path_params().get<std::int64_t>("n");
    if (n == 0) co_return text("arrived");
    co_return redirect("/redirect/" + std::to_string(n - 1), 302);
  });
  app.get("/loop", [](request&) -> task<> { co_return redirect("/loop", 302); });
  app.post("/see-other", [](request&) -> task<> { co_return redirect("/inspect", 303); });
  app.post("/temporary", [](request&) -> task<> { co_return redirect("/inspect", 307); });
  app.get("/elsewhere", [](request& req) -> task<> {
    // The same server under another name is another origin.
    co_return redirect("http://localhost:" + std::string(req.header("X-Port")) + "/inspect", 302);
  });
  app.get("/gzipped", [](request&) -> task<> {
    response res = bytes(gzip(std::string(5000, 'z')), "text/plain");
    res.headers.set("Content-Encoding", "gzip");
    co_return res;
  });
  app.get("/pieces", [](request&) -> task<> {
    co_return stream([](body_writer& out) -> asio::awaitable<void> {
      for (int i = 0; i < 3; ++i) {
        const std::string piece = "piece " + std::to_string(i) + ";";
        co_await out.write(piece);
      }
    });
  });
  return app;
}

// What a program does before it destroys a loop it used the client on: closes the idle
// connections, then runs the loop until nothing is left (a blocking-pool thread that
// resolved a name for it lets go of the loop only after its answer was delivered).
void finish_loop(asio::io_context& io, cogi::http_client& client) {
  client.close_idle_connections(io.get_executor());
  io.restart();
  io.run();
}

class HttpClient : public ::testing::Test {
 protected:
  HttpClient() : server_(test_app()), base_("http://127.0.0.1:" + std::to_string(server_.port())) {}
  ~HttpClient() override { finish_loop(io_, client_); }
  std::string url(std::string_view path) const { return base_ + std::string(path); }

  // The server goes last: the client's loop closes its pooled connections first, so
  // that the server's graceful stop has none to wait for.
  running_server server_;
  std::string base_;
  asio::io_context io_;
  cogi::http_client client_;
};

TEST_F(HttpClient, GetsTextJsonAndHeaders) {
  const std::string hello_url = url("/hello");
  auto r = run_until_done(io_, client_.get(hello_url));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reason, "OK");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(run_until_done(io_, r.text()), "hello");
  EXPECT_TRUE(r.body_complete());

  const std::string json_url = url("/inspect");
  auto inspected = run_until_done(io_, client_.get(json_url));
  const picojson::value seen = run_until_done(io_, inspected.json());
  EXPECT_EQ(seen.get("method").get<std::string>(), "GET");

  const std::string missing = url("/missing");
  auto not_found = run_until_done(io_, client_.get(missing));
  EXPECT_EQ(not_found.status, 404);
  EXPECT_THROW(not_found.raise_for_status(), fetch::status_error);
}

TEST_F(HttpClient, ReusesAKeptAliveConnection) {
  const std::string peer = url("/peer");
  auto first = run_until_done(io_, client_.get(peer));
  const std::string first_port = run_until_done(io_, first.text());
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 1u);
  auto second = run_until_done(io_, client_.get(peer));
  EXPECT_EQ(run_until_done(io_, second.text()), first_port) << "the second request went on the first one's connection";
  // A response dropped before its body was read takes its connection with it.
  { auto dropped = run_until_done(io_, client_.get(peer)); }
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 0u);
  auto third = run_until_done(io_, client_.get(peer));
  EXPECT_NE(run_until_done(io_, third.text()), first_port);
}

TEST_F(HttpClient, ClosingIdleConnectionsLetsTheLoopEnd) {
  const std::string peer = url("/peer");
  auto r = run_until_done(io_, client_.get(peer));
  run_until_done(io_, r.text());
  ASSERT_EQ(client_.idle_connections(io_.get_executor()), 1u);
  client_.close_idle_connections(io_.get_executor());
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 0u);
  io_.restart();
  io_.run_for(10s);  // returns at once when the loop runs out of work
  EXPECT_TRUE(io_.stopped()) << "nothing was left for the loop to do";
}

TEST_F(HttpClient, SendsJsonFormBytesAndHeaders) {
  const std::string target = url("/inspect");
  picojson::object object;
  object["n"] = picojson::value(1.5);
  const picojson::value value(object);
  const fetch::field headers[] = {{"X-Test", "yes"}};
  auto as_json = run_until_done(io_, client_.post(target, fetch::json(value), {.headers = headers}));
  const picojson::value seen = run_until_done(io_, as_json.json());
  EXPECT_EQ(seen.get("method").get<std::string>(), "POST");
  EXPECT_EQ(seen.get("content_type").get<std::string>(), "application/json");
  EXPECT_EQ(seen.get("body").get<std::string>(), value.serialize());
  EXPECT_EQ(seen.get("x_test").get<std::string>(), "yes");

  const fetch::field fields[] = {{"name", "Ada Lovelace"}, {"q", "a&b=c"}};
  auto as_form = run_until_done(io_, client_.put(target, fetch::form(fields)));
  const picojson::value form_seen = run_until_done(io_, as_form.json());
  EXPECT_EQ(form_seen.get("method").get<std::string>(), "PUT");
  EXPECT_EQ(form_seen.get("content_type").get<std::string>(), "application/x-www-form-urlencoded");
  EXPECT_EQ(form_seen.get("body").get<std::string>(), "name=Ada+Lovelace&q=a%26b%3Dc");

  const std::string large(200 * 1024, 'b');
  auto as_bytes = run_until_done(io_, client_.post(target, fetch::bytes(large, "application/x-test")));
  const picojson::value bytes_seen = run_until_done(io_, as_bytes.json());
  EXPECT_EQ(bytes_seen.get("content_type").get<std::string>(), "application/x-test");
  EXPECT_EQ(bytes_seen.get("body").get<std::string>().size(), large.size());
}

TEST_F(HttpClient, RefusesHeaderInjection) {
  const std::string target = url("/inspect");
  const fetch::field bad_value[] = {{"X-Test", "a\r\nInjected: 1"}};
  EXPECT_THROW(run_until_done(io_, client_.get(target, {.headers = bad_value})), fetch::error);
  const fetch::field bad_name[] = {{"X Test", "a"}};
  EXPECT_THROW(run_until_done(io_, client_.get(target, {.headers = bad_name})), fetch::error);
  EXPECT_THROW(run_until_done(io_, client_.request("GE T", target)), fetch::error);
}

TEST_F(HttpClient, StreamsBodiesBothWays) {
  int produced = 0;
  auto next_piece = [&produced]() -> asio::awaitable<std::optional<std::string>> {
    if (produced == 3) co_return std::nullopt;
    co_return "part" + std::to_string(produced++) + ",";
  };
  const std::string target = url("/inspect");
  auto r = run_until_done(io_, client_.post(target, fetch::stream(next_piece, "text/plain")));
  const picojson::value seen = run_until_done(io_, r.json());
  EXPECT_EQ(seen.get("transfer_encoding").get<std::string>(), "chunked");
  EXPECT_EQ(seen.get("body").get<std::string>(), "part0,part1,part2,");

  const std::string pieces_url = url("/pieces");
  auto pieces = run_until_done(io_, client_.get(pieces_url));
  EXPECT_EQ(pieces.header("Transfer-Encoding"), "chunked");
  std::string all;
  int count = 0;
  while (auto piece = run_until_done(io_, pieces.next_chunk())) {
    all += *piece;
    ++count;
  }
  EXPECT_EQ(all, "piece 0;piece 1;piece 2;");
  EXPECT_GE(count, 1);
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 1u) << "read to its end, the connection is kept";
}

TEST_F(HttpClient, DecodesGzip) {
  const std::string target = url("/gzipped");
  auto r = run_until_done(io_, client_.get(target));
  EXPECT_EQ(r.header("Content-Encoding"), "gzip");
  EXPECT_EQ(run_until_done(io_, r.text()), std::string(5000, 'z'));

  fetch::client_options raw_options;
  raw_options.decompress = false;
  cogi::http_client raw(raw_options);
  auto undecoded = run_until_done(io_, raw.get(target));
  EXPECT_EQ(run_until_done(io_, undecoded.text()), gzip(std::string(5000, 'z')));
}

TEST_F(HttpClient, FollowsRedirectsAsRfc9110Says) {
  const std::string chain = url("/redirect/3");
  auto r = run_until_done(io_, client_.get(chain));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.url, url("/redirect/0"));
  EXPECT_EQ(run_until_done(io_, r.text()), "arrived");

  // 303 (and 301, 302) make the next request a GET without the body; 307 keeps both.
  const std::string see_other = url("/see-other");
  auto after_303 = run_until_done(io_, client_.post(see_other, fetch::json_text("{\"a\":1}")));
  const picojson::value seen_303 = run_until_done(io_, after_303.json());
  EXPECT_EQ(seen_303.get("method").get<std::string>(), "GET");
  EXPECT_EQ(seen_303.get("body").get<std::string>(), "");
  const std::string temporary = url("/temporary");
  auto after_307 = run_until_done(io_, client_.post(temporary, fetch::json_text("{\"a\":1}")));
  const picojson::value seen_307 = run_until_done(io_, after_307.json());
  EXPECT_EQ(seen_307.get("method").get<std::string>(), "POST");
  EXPECT_EQ(seen_307.get("body").get<std::string>(), "{\"a\":1}");

  const std::string loop = url("/loop");
  EXPECT_THROW(run_until_done(io_, client_.get(loop)), fetch::too_many_redirects);
  auto not_followed = run_until_done(io_, client_.get(loop, {.max_redirects = 0}));
  EXPECT_EQ(not_followed.status, 302);
  EXPECT_EQ(not_followed.header("Location"), "/loop");
}

TEST_F(HttpClient, CredentialsDoNotFollowARedirectToAnotherOrigin) {
  const std::string port = std::to_string(server_.port());
  const fetch::field headers[] = {{"Authorization", "Bearer secret"}, {"X-Port", port}, {"X-Test", "kept"}};
  const std::string elsewhere = url("/elsewhere");
  auto r = run_until_done(io_, client_.get(elsewhere, {.headers = headers}));
  EXPECT_EQ(r.url, "http://localhost:" + port + "/inspect");  // resolved by name, on the blocking pool
  const picojson::value seen = run_until_done(io_, r.json());
  EXPECT_EQ(seen.get("authorization").get<std::string>(), "");
  EXPECT_EQ(seen.get("x_test").get<std::string>(), "kept");
  const std::string same = url("/inspect");
  auto direct = run_until_done(io_, client_.get(same, {.headers = headers}));
  EXPECT_EQ(run_until_done(io_, direct.json()).get("authorization").get<std::string>(), "Bearer secret");
}

TEST_F(HttpClient, TheDemoAnswers) {
  running_server demo(examples::demo_app());
  const std::string base = "http://127.0.0.1:" + std::to_string(demo.port());
  const std::string plaintext = base + "/plaintext";
  auto r = run_until_done(io_, client_.get(plaintext));
  EXPECT_EQ(run_until_done(io_, r.text()), "Hello, World!");
  const std::string echo = base + "/echo";
  const std::string payload(100 * 1024, 'e');
  auto echoed = run_until_done(io_, client_.post(echo, fetch::bytes(payload)));
  EXPECT_EQ(run_until_done(io_, echoed.text()), payload);
  const std::string stream = base + "/stream?n=5";
  auto streamed = run_until_done(io_, client_.get(stream));
  EXPECT_EQ(streamed.status, 200);
  EXPECT_FALSE(run_until_done(io_, streamed.text()).empty());
  const std::string head_url = base + "/plaintext";
  auto head = run_until_done(io_, client_.head(head_url));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(run_until_done(io_, head.text()), "");
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 1u) << "the HEAD response's connection is kept too";
}

// ---- failures ----------------------------------------------------------------------

std::string url_of(const scripted_server& s, std::string_view path = "/") {
  return "http://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
}

TEST(HttpClientFailures, RefusedConnectionIsAConnectError) {
  std::string target;
  {
    scripted_server gone([](scripted_connection&) {});
    target = url_of(gone);
  }  // closed: nothing listens on its port now
  asio::io_context io;
  cogi::http_client client;
  EXPECT_THROW(run_until_done(io, client.get(target)), fetch::connect_error);
}

TEST(HttpClientFailures, AnUnknownHostIsADnsError) {
  asio::io_context io;
  cogi::http_client client;
  const std::string target = "http://no-such-host.invalid/";
  EXPECT_THROW(run_until_done(io, client.get(target, {.connect_timeout = 60s})), fetch::dns_error);
  finish_loop(io, client);
}

TEST(HttpClientFailures, ASilentServerTimesOutTheRead) {
  scripted_server silent([](scripted_connection& c) {
    c.read_head();
    c.wait_for_close();
  });
  asio::io_context io;
  cogi::http_client client;
  const std::string target = url_of(silent);
  try {
    run_until_done(io, client.get(target, {.read_timeout = 200ms}));
    ADD_FAILURE() << "no timeout";
  } catch (const fetch::timeout_error& e) {
    EXPECT_EQ(e.which(), fetch::timeout_error::phase::read);
  }
  EXPECT_TRUE(silent.wait_for_ended(1, scaled(5000ms))) << "the timed-out connection was closed";
  try {
    run_until_done(io, client.get(target, {.timeout = 200ms, .read_timeout = 60s}));
    ADD_FAILURE() << "no timeout";
  } catch (const fetch::timeout_error& e) {
    EXPECT_EQ(e.which(), fetch::timeout_error::phase::total);
  }
}

TEST(HttpClientFailures, ACancelledRequestClosesItsConnection) {
  scripted_server silent([](scripted_connection& c) {
    c.read_head();
    c.wait_for_close();
  });
  asio::io_context io;
  cogi::http_client client;
  const std::string target = url_of(silent);
  auto request = client.get(target);
  EXPECT_THROW(run_until_done(io, async::wait_for(std::move(request), 100ms)), async::timeout_error);
  EXPECT_TRUE(silent.wait_for_ended(1, scaled(5000ms)));
  EXPECT_EQ(client.idle_connections(io.get_executor()), 0u);
}

TEST(HttpClientFailures, AFullBacklogTimesOutTheConnect) {
  // A listener that never accepts, its backlog filled: the next SYN goes unanswered.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(s, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    fillers.push_back(s);
  }
  asio::io_context io;
  cogi::http_client client;
  const std::string target = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
  try {
    run_until_done(io, client.get(target, {.connect_timeout = 300ms}));
    ADD_FAILURE() << "connected to a full backlog";
  } catch (const fetch::timeout_error& e) {
    EXPECT_EQ(e.which(), fetch::timeout_error::phase::connect);
  }
  for (const int s : fillers) ::close(s);
  ::close(listener);
}

// Each script answers the first request with `bytes`, then ends the way it says.
void expect_failure_type(const char* what, const std::function<void(scripted_connection&)>& script,
                         const std::function<void(asio::io_context&, cogi::http_client&, const std::string&)>& check) {
  SCOPED_TRACE(what);
  scripted_server server(script);
  asio::io_context io;
  cogi::http_client client;
  check(io, client, url_of(server));
}

TEST(HttpClientFailures, MisbehavingResponsesFailWithTheirKind) {
  const auto get_text = [](asio::io_context& io, cogi::http_client& client, const std::string& target) {
    auto r = run_until_done(io, client.get(target));
    return run_until_done(io, r.text());
  };
  expect_failure_type(
      "reset in the middle of the body",
      [](scripted_connection& c) {
        c.read_head();
        c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
        c.reset();
      },
      [&](auto& io, auto& client, const auto& target) {
        EXPECT_THROW(get_text(io, client, target), fetch::connection_error);
      });
  expect_failure_type(
      "closed before the head",
      [](scripted_connection& c) { c.read_head(); },
      [&](auto& io, auto& client, const auto& target) {
        EXPECT_THROW(get_text(io, client, target), fetch::connection_error);
      });
  expect_failure_type(
      "an oversized head",
      [](scripted_connection& c) {
        c.read_head();
        c.send("HTTP/1.1 200 OK\r\nX-Big: " + std::string(200 * 1024, 'x') + "\r\n\r\n");
        c.wait_for_close();
      },
      [&](auto& io, auto& client, const auto& target) {
        EXPECT_THROW(get_text(io, client, target), fetch::response_too_large);
      });
  expect_failure_type(
      "invalid chunking",
      [](scripted_connection& c) {
        c.read_head();
        c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nnot-hex\r\n");
        c.wait_for_close();
      },
      [&](auto& io, auto& client, const auto& target) {
        EXPECT_THROW(get_text(io, client, target), fetch::malformed_response);
      });
  expect_failure_type(
      "a body longer than max_body_size",
      [](scripted_connection& c) {
        c.read_head();
        c.send("HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n" + std::string(2048, 'x'));
        c.wait_for_close();
      },
      [&](auto& io, auto& client, const auto& target) {
        // From get() when the body came with the head, as here, else from text().
        const auto fetch_small = [&] {
          auto r = run_until_done(io, client.get(target, {.max_body_size = 1024}));
          return run_until_done(io, r.text());
        };
        EXPECT_THROW(fetch_small(), fetch::response_too_large);
      });
  expect_failure_type(
      "garbage instead of HTTP",
      [](scripted_connection& c) {
        c.read_head();
        c.send("SSH-2.0-OpenSSH_9.2\r\n");
        c.wait_for_close();
      },
      [&](auto& io, auto& client, const auto& target) {
        EXPECT_THROW(get_text(io, client, target), fetch::malformed_response);
      });
}

TEST(HttpClientFailures, ABodyEndingWithTheConnectionIsRead) {
  scripted_server server([](scripted_connection& c) {
    c.read_head();
    c.send("HTTP/1.1 200 OK\r\n\r\nall of it until the end");
  });
  asio::io_context io;
  cogi::http_client client;
  const std::string target = url_of(server);
  auto r = run_until_done(io, client.get(target));
  EXPECT_EQ(run_until_done(io, r.text()), "all of it until the end");
  EXPECT_EQ(client.idle_connections(io.get_executor()), 0u);
}

// The first connection answers one request, then reads the next and closes without an
// answer (a keep-alive timeout racing the request); later ones answer every request.
void answer_once_then_drop_the_next(scripted_connection& c) {
  while (!c.read_head().empty()) {
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    if (c.index == 0) {
      c.read_head();
      return;
    }
  }
}

TEST(HttpClientFailures, AStalePooledConnectionIsRetriedOnceForAnIdempotentRequest) {
  scripted_server server(answer_once_then_drop_the_next);
  asio::io_context io;
  cogi::http_client client;
  const std::string target = url_of(server);
  auto first = run_until_done(io, client.get(target));
  EXPECT_EQ(run_until_done(io, first.text()), "ok");
  auto second = run_until_done(io, client.get(target));
  EXPECT_EQ(run_until_done(io, second.text()), "ok");
  EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpClientFailures, ANonIdempotentRequestIsNotRetried) {
  scripted_server server(answer_once_then_drop_the_next);
  asio::io_context io;
  cogi::http_client client;
  const std::string target = url_of(server);
  auto first = run_until_done(io, client.post(target, fetch::json_text("{}")));
  EXPECT_EQ(run_until_done(io, first.text()), "ok");
  EXPECT_THROW(run_until_done(io, client.post(target, fetch::json_text("{}"))), fetch::connection_error);
  EXPECT_EQ(server.connections(), 1u);
}

}  // namespace
}  // namespace cogi::testing
