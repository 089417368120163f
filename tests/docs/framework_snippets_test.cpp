// The usage shown in framework/'s header comments, compiled and run as written, through
// the test client (tests/docs/check_snippets.py checks that every snippet line appears
// in such a test). Around each snippet: the definitions it assumes.

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cogi/framework/app.hpp"
#include "cogi/framework/file_response.hpp"
#include "cogi/framework/html.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/json_writer.hpp"
#include "cogi/framework/sse.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/framework/url_encoded.hpp"
#include "cogi/middleware/gzip.hpp"

namespace framework_snippets {

using cogi::request;
using cogi::response;
using cogi::task;

// framework/router.hpp
task<> get_user(request& req) {
  co_return cogi::text("user " + std::to_string(req.path_params().get<std::int64_t>("id")));
}
task<> create_user(request&) { co_return cogi::text("created", 201); }

TEST(FrameworkSnippets, Router) {
  cogi::app app;
  cogi::router users;
  users.get("/{id:int}", get_user, "user");
  users.post("/", create_user);
  app.include("/users", users, "users");        // GET /users/7
  const std::string path = app.url_path_for("users:user", {{"id", "7"}});  // "/users/7"
  EXPECT_EQ(path, "/users/7");
  cogi::test_client client(app);
  EXPECT_EQ(client.get(path).body, "user 7");
  EXPECT_EQ(client.post("/users").status, 201);
}

// framework/request.hpp and path_params.hpp
struct digest {
  std::size_t bytes = 0;
  void update(std::string_view piece) { bytes += piece.size(); }
};

task<> show_user(request& req) {
  auto id = req.path_params().get<std::int64_t>("id");
  auto page = req.query().get_or("page", "1");
  auto token = req.header("Authorization");          // any case
  co_return cogi::text(std::to_string(id) + " " + std::string(page) + " " + std::string(token));
}

task<> read_json(request& req) {
  picojson::value doc = co_await req.json();          // 400 if malformed
  co_return cogi::json(doc);
}

task<> hash_body(request& req) {
  digest hash;
  while (auto chunk = co_await req.read_chunk()) hash.update(*chunk);  // or stream the body
  co_return cogi::text(std::to_string(hash.bytes));
}

TEST(FrameworkSnippets, Request) {
  cogi::app app;
  app.get("/users/{id:int}", show_user);  // in show_user: req.path_params().get<std::int64_t>("id")
  app.post("/json", read_json);
  app.post("/hash", hash_body);
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/users/7?page=2", {{"authorization", "Bearer x"}}).body, "7 2 Bearer x");
  EXPECT_EQ(client.post("/json", R"({"a":1})").body, R"({"a":1})");
  EXPECT_EQ(client.post("/json", "{").status, 400);
  cogi::test_request upload;
  upload.method = "POST";
  upload.target = "/hash";
  upload.body_chunks = {"abc", "defg"};
  EXPECT_EQ(client.request(upload).body, "7");
}

// framework/response.hpp
task<> hello(request&) {
  co_return cogi::text("Hello, World!");
}

task<> created(request&) {
  picojson::object object;
  object["id"] = picojson::value(std::int64_t{1});
  co_return cogi::json(picojson::value(object), 201);
}

task<> login(request&) {
  const std::string token = "t0k3n";
  auto res = cogi::redirect("/login");
  res.set_cookie("session", token, {.http_only = true});
  co_return res;
}

TEST(FrameworkSnippets, Response) {
  cogi::app app;
  app.get("/", hello);
  app.post("/items", created);
  app.get("/private", login);
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/").body, "Hello, World!");
  EXPECT_EQ(client.post("/items").status, 201);
  const auto res = client.get("/private");
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(res.header("location"), "/login");
  EXPECT_NE(res.header("set-cookie").find("session=t0k3n"), std::string_view::npos);
}

// framework/header_list.hpp
TEST(FrameworkSnippets, HeaderList) {
  auto res = cogi::text("x");
  res.headers.set("cache-control", "no-store");
  res.headers.add("set-cookie", "a=1");      // add keeps duplicates, set replaces
  for (cogi::header_field h : res.headers) std::printf("%.*s\n", int(h.name.size()), h.name.data());
  EXPECT_EQ(res.headers.get("cache-control"), "no-store");
}

// framework/http_exception.hpp and exception_handlers.hpp
struct not_found_in_db : std::runtime_error {
  using std::runtime_error::runtime_error;
};

task<> find_user(request& req) {
  const std::optional<std::string> user;
  if (req.query().contains("db")) throw not_found_in_db("not in the database");
  if (!user) throw cogi::http_exception(404, "no such user");
  co_return cogi::text(*user);
}

TEST(FrameworkSnippets, Errors) {
  cogi::app app;
  app.get("/user", find_user);
  app.exception_handler<not_found_in_db>([](cogi::request&, const not_found_in_db& e)
      -> cogi::task<> { co_return cogi::text(e.what(), 404); });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/user").json().get("detail").to_str(), "no such user");
  const auto res = client.get("/user?db");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "not in the database");
}

// framework/json_reader.hpp and json_writer.hpp
TEST(FrameworkSnippets, Json) {
  picojson::value doc = cogi::read_json(R"({"name": "Ada"})");
  const picojson::value& value = doc;
  std::string body;
  cogi::append_json(body, value);
  EXPECT_EQ(body, R"({"name":"Ada"})");
}

// framework/url_encoded.hpp
// framework/html.hpp
TEST(FrameworkSnippets, HtmlEscaping) {
  const std::string message = "<b>\"Tom\" & 'Jerry'</b>";
  std::string page = "<td>";
  cogi::append_html_escaped(page, message);
  page += "</td>";
  EXPECT_EQ(page, "<td>&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</td>");
  EXPECT_EQ(cogi::html_escape("plain text"), "plain text");
}

TEST(FrameworkSnippets, UrlEncoded) {
  cogi::url_encoded q("tag=a&tag=b&q=caf%C3%A9");
  std::optional<std::string_view> text = q.get("q");       // "café"
  std::vector<std::string_view> tags = q.get_all("tag");   // {"a", "b"}
  EXPECT_EQ(*text, "caf\xc3\xa9");
  EXPECT_EQ(tags, (std::vector<std::string_view>{"a", "b"}));
}

// framework/sse.hpp
asio::awaitable<void> tick(cogi::sse_writer& out) {
  for (int i = 0; i < 2; ++i) {
    const std::string data = "tick " + std::to_string(i);
    co_await out.send(data);
  }
}

TEST(FrameworkSnippets, ServerSentEvents) {
  cogi::app app;
  app.get("/clock", [](cogi::request&) -> cogi::task<> {
    co_return cogi::event_stream(tick);   // tick(cogi::sse_writer&) sends events
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/clock").chunks, (std::vector<std::string>{"data: tick 0\n\n", "data: tick 1\n\n"}));
}

// framework/file_response.hpp
task<> report(request& req) {
  co_return cogi::file(req, "/srv/reports/2026.pdf", {.download_name = "report.pdf"});
}

TEST(FrameworkSnippets, FileResponse) {
  cogi::app app;
  app.get("/report", report);
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/report").status, 404);  // no such file here
}

// framework/middleware.hpp
struct my_wrapper {
  cogi::app_fn next;
  asio::awaitable<void> operator()(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) const {
    return next(scope, receive, send);
  }
};

struct Options {
  std::string name;
};
using cogi::app_fn;
using cogi::receive_fn;
using cogi::scope;
using cogi::send_fn;
asio::awaitable<void> step(const Options&, const app_fn& next, scope&, receive_fn, send_fn);
asio::awaitable<void> step(const Options&, const app_fn& next, scope& sc, receive_fn receive, send_fn send) {
  co_await next(sc, receive, send);
}

TEST(FrameworkSnippets, Middleware) {
  cogi::app app;
  app.get("/", hello);
  app.use([](cogi::request& req, cogi::next_fn next) -> cogi::task<> {
    auto res = co_await next(req);
    res.headers.set("x-frame-options", "DENY");
    co_return res;
  });
  app.use(cogi::gzip({.minimum_size = 500}));
  app.use([](cogi::app_fn next) -> cogi::app_fn { return my_wrapper{std::move(next)}; });
  app.use(cogi::contract_middleware(Options{"passes through"}, step));
  cogi::test_client client(app);
  const auto res = client.get("/");
  EXPECT_EQ(res.body, "Hello, World!");
  EXPECT_EQ(res.header("x-frame-options"), "DENY");
}

// framework/test_client.hpp
cogi::app make_app() {
  cogi::app app;
  app.get("/users/{id:int}", [](request&) -> task<> {
    picojson::object ada;
    ada["name"] = picojson::value("Ada");
    co_return cogi::json(picojson::value(ada));
  });
  return app;
}

TEST(FrameworkSnippets, TestClient) {
  cogi::test_client client(make_app());
  auto res = client.get("/users/7");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.json().get("name").to_str(), "Ada");
}

// framework/websocket.hpp and the test client's WebSocket (framework/test_client.hpp)
TEST(FrameworkSnippets, WebSocket) {
  cogi::app app;
  app.websocket("/ws/{room}", [](cogi::websocket& ws) -> cogi::task<void> {
    co_await ws.accept();
    while (auto message = co_await ws.next()) {  // until the client disconnects
      co_await ws.send_text("echo: " + message->text());
    }
  });
  app.websocket("/ws/echo", [](cogi::websocket& ws) -> cogi::task<void> {
    co_await ws.accept();
    while (auto message = co_await ws.next()) co_await ws.send_text(message->data());
  });
  cogi::test_client client(app);
  {
    auto ws = client.websocket_connect("/ws/echo");
    ws.send_text("hello");
    EXPECT_EQ(ws.receive_text(), "hello");
    ws.close();
  }
  auto room = client.websocket_connect("/ws/lobby");
  room.send_text("hi");
  EXPECT_EQ(room.receive_text(), "echo: hi");
}

}  // namespace framework_snippets
