// What a handler can answer: text, HTML, bytes, JSON, redirects, cookies, extra
// headers and streaming bodies; and the header list that holds the fields.
#include "cogi/framework/response.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/sleep.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;

TEST(HeaderList, AddSetGetRemoveCaseInsensitively) {
  cogi::header_list h;
  h.add("Content-Type", "text/plain");
  h.add("set-cookie", "a=1");
  h.add("Set-Cookie", "b=2");
  EXPECT_EQ(h.get("content-type"), "text/plain");
  EXPECT_EQ(h.size(), 3u);
  h.set("SET-COOKIE", "c=3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("set-cookie"), "c=3");
  h.remove("content-type");
  EXPECT_FALSE(h.contains("Content-Type"));
  EXPECT_EQ(h[0].name, "SET-COOKIE");
  EXPECT_EQ(h.get("absent"), "");
}

TEST(HeaderList, SpillsBeyondItsInlineCapacityAndSurvivesMoves) {
  cogi::header_list h;
  const std::string long_value(cogi::header_list::inline_bytes, 'v');
  for (int i = 0; i < 40; ++i) h.add("x-field-" + std::to_string(i), i == 20 ? long_value : std::to_string(i));
  cogi::header_list moved = std::move(h);
  ASSERT_EQ(moved.size(), 40u);
  EXPECT_EQ(moved.get("x-field-0"), "0");
  EXPECT_EQ(moved.get("x-field-20"), long_value);
  EXPECT_EQ(moved.get("x-field-39"), "39");
  moved.remove("x-field-5");
  EXPECT_EQ(moved.size(), 39u);
  EXPECT_EQ(moved[5].name, "x-field-6");
  std::size_t seen = 0;
  for (cogi::header_field field : moved) seen += field.name.starts_with("x-field-");
  EXPECT_EQ(seen, 39u);

  cogi::header_list small;
  small.add("a", "1");
  cogi::header_list copy = small;
  small.set("a", "2");
  EXPECT_EQ(copy.get("a"), "1");  // copies do not share storage
}

cogi::test_response serve(cogi::handler_fn handler, std::string method = "GET") {
  cogi::app app;
  app.route("/", {"GET", "POST"}, std::move(handler));
  cogi::test_client client(app);
  cogi::test_request req;
  req.method = std::move(method);
  return client.request(req);
}

TEST(Response, Helpers) {
  auto res = serve([](request&) -> task<> { co_return cogi::text("hi", 201); });
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(res.header("content-length"), "2");
  EXPECT_EQ(res.body, "hi");

  res = serve([](request&) -> task<> { co_return cogi::html("<p>x</p>"); });
  EXPECT_EQ(res.header("content-type"), "text/html; charset=utf-8");

  res = serve([](request&) -> task<> { co_return cogi::bytes(std::string("\0\1", 2), "image/x-test"); });
  EXPECT_EQ(res.header("content-type"), "image/x-test");
  EXPECT_EQ(res.body, std::string("\0\1", 2));

  res = serve([](request&) -> task<> {
    picojson::object o;
    o["message"] = picojson::value("Hello, World!");
    co_return cogi::json(picojson::value(o));
  });
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_EQ(res.body, R"({"message":"Hello, World!"})");

  res = serve([](request&) -> task<> { co_return cogi::redirect("/elsewhere", 303); });
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.header("location"), "/elsewhere");
  EXPECT_EQ(res.header("content-length"), "0");
}

TEST(Response, CookiesWithAttributes) {
  auto res = serve([](request&) -> task<> {
    auto out = cogi::text("ok");
    out.set_cookie("session", "abc", {.max_age = std::chrono::seconds(3600), .secure = true, .http_only = true});
    out.set_cookie("theme", "dark", {.path = "/app", .domain = "example.com", .same_site = "strict"});
    out.delete_cookie("old");
    co_return out;
  });
  const auto cookies = res.header_values("set-cookie");
  ASSERT_EQ(cookies.size(), 3u);
  EXPECT_TRUE(cookies[0].starts_with("session=abc; Max-Age=3600; Expires="));
  EXPECT_TRUE(cookies[0].ends_with(" GMT; Path=/; Secure; HttpOnly; SameSite=Lax"));
  EXPECT_EQ(cookies[1], "theme=dark; Path=/app; Domain=example.com; SameSite=Strict");
  EXPECT_TRUE(cookies[2].starts_with("old=; Max-Age=0; Expires="));

  EXPECT_THROW(cogi::format_set_cookie("bad name", "x"), std::invalid_argument);
  EXPECT_THROW(cogi::format_set_cookie("n", "a;b"), std::invalid_argument);
  EXPECT_THROW(cogi::format_set_cookie("n", "v", {.path = "/x;evil"}), std::invalid_argument);
  EXPECT_THROW(cogi::format_set_cookie("n", "v", {.same_site = "sometimes"}), std::invalid_argument);
}

asio::awaitable<void> count_to_three(cogi::body_writer& out) {
  for (int i = 1; i <= 3; ++i) {
    const std::string chunk = "chunk " + std::to_string(i) + "\n";  // named: see GCC 12 note in events.hpp
    co_await out.write(chunk);
  }
}

TEST(Response, StreamingSendsEachChunkAndIsChunkedOnTheWire) {
  auto res = serve([](request&) -> task<> { co_return cogi::stream(count_to_three); });
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("transfer-encoding"), "chunked");
  EXPECT_EQ(res.header("content-length"), "");
  EXPECT_EQ(res.chunks, (std::vector<std::string>{"chunk 1\n", "chunk 2\n", "chunk 3\n"}));
}

TEST(Response, StreamingProducerStopsWhenTheClientLeaves) {
  static bool cleaned_up = false;
  static int written = 0;
  cogi::app app;
  app.get("/forever", [](request&) -> task<> {
    co_return cogi::stream([](cogi::body_writer& out) -> asio::awaitable<void> {
      struct cleanup {
        ~cleanup() { cleaned_up = true; }
      } guard;
      for (;;) {
        co_await out.write("tick\n");
        ++written;
      }
    });
  });
  cogi::test_client client(app);
  cogi::test_request req;
  req.target = "/forever";
  req.disconnect_after_body_events = 5;
  const auto res = client.request(req);
  EXPECT_EQ(res.chunks.size(), 5u);
  EXPECT_EQ(written, 5);  // the client left after the fifth: the sixth write threw
  EXPECT_TRUE(cleaned_up);
}

// Issue 12: a producer that does not write (waiting for news that never comes) is still
// stopped when its client leaves, by default: it is cancelled, its cleanup runs, and
// request::is_disconnected() says why.
TEST(Response, QuietProducerIsCancelledWhenTheClientLeaves) {
  static bool cancelled = false;
  static bool saw_disconnect = false;
  cogi::app app;
  app.get("/news", [](request& req) -> task<> {
    co_return cogi::stream([&req](cogi::body_writer& out) -> asio::awaitable<void> {
      co_await out.write("hello\n");
      try {
        co_await cogi::async::sleep_for(std::chrono::seconds(20));  // no news (a failure ends it)
      } catch (const std::exception& error) {
        cancelled = cogi::async::is_cancellation(error);
        saw_disconnect = req.is_disconnected();
        throw;
      }
    });
  });
  cogi::test_client client(app);
  cogi::test_request req;
  req.target = "/news";
  req.disconnect_after_body_events = 1;
  const auto res = client.request(req);
  EXPECT_EQ(res.chunks, (std::vector<std::string>{"hello\n"}));
  EXPECT_FALSE(res.complete);
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(saw_disconnect);
}

// The watch never takes body the producer has not read: an echo streams the whole body.
TEST(Response, WatchedProducerStillReadsTheBody) {
  cogi::app app;
  app.post("/echo", [](request& req) -> task<> {
    co_return cogi::stream([&req](cogi::body_writer& out) -> asio::awaitable<void> {
      while (auto piece = co_await req.read_chunk()) co_await out.write(*piece);
      EXPECT_FALSE(req.is_disconnected());
    });
  });
  cogi::test_client client(app);
  cogi::test_request req;
  req.method = "POST";
  req.target = "/echo";
  req.body_chunks = {"one ", "two ", "three"};
  const auto res = client.request(req);
  EXPECT_EQ(res.body, "one two three");
  EXPECT_TRUE(res.complete);
}

}  // namespace
