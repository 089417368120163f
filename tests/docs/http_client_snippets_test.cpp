// The usage shown in clients/http/'s header comments, compiled and run as written
// (tests/docs/check_snippets.py checks that every snippet line appears in such a test),
// against a cogi server on loopback. Around each snippet: what it assumes (url,
// make_item, token, out).

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include <asio/io_context.hpp>

#include "cogi/clients/http/client.hpp"
#include "cogi/framework/app.hpp"
#include "tests/support/run_until_done.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/scripted_server.hpp"

namespace http_client_snippets {

using namespace std::chrono_literals;

cogi::app items_app() {
  cogi::app app;
  app.get("/items", [](cogi::request&) -> cogi::task<> {
    co_return cogi::json(picojson::value(picojson::array{picojson::value("first")}));
  });
  app.post("/items", [](cogi::request& req) -> cogi::task<> {
    picojson::value item = co_await req.json();
    co_return cogi::json(item, 201);
  });
  app.get("/private", [](cogi::request& req) -> cogi::task<> {
    co_return cogi::text(std::string(req.header("Authorization")));
  });
  return app;
}

picojson::value make_item() {
  picojson::object item;
  item["name"] = picojson::value("second");
  return picojson::value(item);
}

// client.hpp
asio::awaitable<std::string> client_header(std::string url) {
  cogi::http_client client;                            // one for the program, any loop
  auto r = co_await client.get(url, {.timeout = 2s});  // url: "http://10.0.0.5:8080/items"...
  const picojson::value items = co_await r.json();     // r.status, r.header("ETag")...

  const picojson::value item = make_item();
  auto created = co_await client.post(url, cogi::fetch::json(item));
  co_return std::to_string(r.status) + " " + items.serialize() + " " + std::to_string(created.status) + " " +
      co_await created.text();
}

// options.hpp
asio::awaitable<std::string> with_headers(cogi::http_client& client, std::string url, std::string token) {
  const cogi::fetch::field headers[] = {{"Authorization", token}};
  auto r = co_await client.get(url, {.headers = headers, .timeout = 2s});
  co_return co_await r.text();
}

// errors.hpp and response.hpp
asio::awaitable<std::string> errors_options_and_response(cogi::http_client& client, std::string url, std::string slow) {
  std::string seen;
  try {
    auto r = co_await client.get(url, {.timeout = 2s});
    seen += std::to_string(r.status);
  } catch (const cogi::fetch::timeout_error& e) {     // e.which(): connect, read, total
    seen += "timeout";
  } catch (const cogi::fetch::error& e) {             // anything else, e.what() says
    seen += "error";
  }
  try {
    co_await client.get(slow, {.read_timeout = 50ms});
  } catch (const cogi::fetch::timeout_error& e) {
    seen += e.which() == cogi::fetch::timeout_error::phase::read ? " read-timeout" : " other-timeout";
  }

  const std::string private_url = url.substr(0, url.rfind('/')) + "/private";
  seen += " " + co_await with_headers(client, private_url, "Bearer t0ken");
  {
    std::ostringstream out;
    auto r = co_await client.get(url);
    const std::string body = co_await r.text();                   // or co_await r.json()

    auto large = co_await client.get(url);
    while (auto piece = co_await large.next_chunk()) out << *piece;   // as it arrives
    seen += " " + std::to_string(body == out.str());
  }
  co_return seen;
}

TEST(HttpClientSnippets, TheClientHeader) {
  cogi::testing::running_server server(items_app());
  asio::io_context io;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/items";
  EXPECT_EQ(cogi::testing::run_until_done(io, client_header(url)), "200 [\"first\"] 201 {\"name\":\"second\"}");
}

TEST(HttpClientSnippets, ErrorsOptionsAndResponses) {
  cogi::testing::running_server server(items_app());
  cogi::testing::scripted_server never_answers([](cogi::testing::scripted_connection& c) {
    c.read_head();
    c.wait_for_close();
  });
  asio::io_context io;
  cogi::http_client client;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/items";
  const std::string slow = "http://127.0.0.1:" + std::to_string(never_answers.port()) + "/";
  EXPECT_EQ(cogi::testing::run_until_done(io, errors_options_and_response(client, url, slow)),
            "200 read-timeout Bearer t0ken 1");
}

TEST(HttpClientSnippets, TheUrlHeader) {
  const auto u = cogi::fetch::url::parse("http://example.test:8080/a/b?x=1#top");
  // u.host "example.test", u.port 8080, u.target "/a/b?x=1" (the fragment is not sent)
  const std::string next = u.resolve("../c").text();   // "http://example.test:8080/c"
  EXPECT_EQ(u.host, "example.test");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.target, "/a/b?x=1");
  EXPECT_EQ(next, "http://example.test:8080/c");
}

}  // namespace http_client_snippets
