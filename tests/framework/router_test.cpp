// Routing through the app and the test client: static and parameter segments, typed
// conversion, methods, 404/405/HEAD/OPTIONS, included routers, mounts, root_path and
// reverse URLs.
#include "cogi/framework/router.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;

task<> name_and_params(std::string name, request& req) {
  for (std::size_t i = 0; i < req.path_params().size(); ++i)
    name += " " + std::string(req.path_params().name(i)) + "=" + std::string(req.path_params().value(i));
  co_return cogi::text(name);
}

// A handler that answers with its name and the path parameters it got.
cogi::handler_fn echo(std::string name) {
  return [name](request& req) { return name_and_params(name, req); };
}

TEST(Router, StaticAndParameterSegments) {
  cogi::app app;
  app.get("/", echo("root"));
  app.get("/users", echo("list"));
  app.get("/users/me", echo("me"));
  app.get("/users/{id:int}", echo("by-id"));
  app.get("/users/{name}", echo("by-name"));
  app.get("/users/{id:int}/posts/{slug}", echo("post"));
  app.get("/files/{rest:path}", echo("file"));
  cogi::test_client client(app);

  EXPECT_EQ(client.get("/").body, "root");
  EXPECT_EQ(client.get("/users").body, "list");
  EXPECT_EQ(client.get("/users/me").body, "me");  // the literal beats {name}
  EXPECT_EQ(client.get("/users/42").body, "by-id id=42");
  EXPECT_EQ(client.get("/users/ada").body, "by-name name=ada");
  EXPECT_EQ(client.get("/users/7/posts/hello-world").body, "post id=7 slug=hello-world");
  EXPECT_EQ(client.get("/files/a/b/c.txt").body, "file rest=a/b/c.txt");
  EXPECT_EQ(client.get("/nothing").status, 404);
  EXPECT_EQ(client.get("/users/7/posts").status, 404);
}

TEST(Router, FailedConversionIsA404NotACrash) {
  cogi::app app;
  app.get("/items/{id:int}", echo("item"));
  app.get("/prices/{p:float}", echo("price"));
  app.get("/things/{u:uuid}", echo("thing"));
  cogi::test_client client(app);

  EXPECT_EQ(client.get("/items/abc").status, 404);
  EXPECT_EQ(client.get("/items/-1").status, 404);
  EXPECT_EQ(client.get("/items/99999999999999999999999").status, 404);  // does not fit 64 bits
  EXPECT_EQ(client.get("/items/12").status, 200);
  EXPECT_EQ(client.get("/prices/2.50").body, "price p=2.50");
  EXPECT_EQ(client.get("/prices/2.").status, 404);
  EXPECT_EQ(client.get("/things/123e4567-e89b-12d3-a456-426614174000").status, 200);
  EXPECT_EQ(client.get("/things/123e4567").status, 404);
}

TEST(Router, TypedParameterAccess) {
  cogi::app app;
  app.get("/n/{id:int}", [](request& req) -> task<> {
    const auto id = req.path_params().get<std::int64_t>("id");
    co_return cogi::text(std::to_string(id * 2));
  });
  app.get("/small/{id:int}", [](request& req) -> task<> {
    co_return cogi::text(std::to_string(req.path_params().get<std::int8_t>("id")));
  });
  app.get("/missing/{id}", [](request& req) -> task<> {
    co_return cogi::text(std::string(req.path_params().get("nope")));
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/n/21").body, "42");
  EXPECT_EQ(client.get("/small/100").body, "100");
  EXPECT_EQ(client.get("/small/300").status, 404);  // does not fit the type asked for
  EXPECT_EQ(client.get("/missing/x").status, 500);  // a programming error, not the client's
}

TEST(Router, WrongMethodIs405WithAllow) {
  cogi::app app;
  app.get("/items", echo("list"));
  app.post("/items", echo("create"));
  app.delete_("/items/{id:int}", echo("delete"));
  cogi::test_client client(app);

  const auto res = client.put("/items", "x");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET, HEAD, POST");
  EXPECT_EQ(res.json().get("detail").to_str(), "Method Not Allowed");
  EXPECT_EQ(client.post("/items").body, "create");
  EXPECT_EQ(client.get("/items/3").status, 405);
  EXPECT_EQ(client.get("/items/3").header("allow"), "DELETE");
  EXPECT_EQ(client.delete_("/items/3").status, 200);
}

TEST(Router, MethodPicksBetweenOverlappingShapes) {
  // A literal that matches the path but not the method must not hide a parameter route
  // that takes the method (Starlette would try the routes in turn).
  cogi::app app;
  app.get("/users/me", echo("me"));
  app.post("/users/{name}", echo("create"));
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/users/me").body, "create name=me");
  EXPECT_EQ(client.put("/users/me").status, 405);
  EXPECT_EQ(client.put("/users/me").header("allow"), "GET, HEAD, POST");
}

TEST(Router, HeadIsServedByGetWithoutBody) {
  cogi::app app;
  app.get("/page", [](request&) -> task<> { co_return cogi::text("twelve bytes"); });
  cogi::test_client client(app);
  const auto res = client.head("/page");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-length"), "12");
  EXPECT_EQ(res.body, "");
}

TEST(Router, OptionsAnswersWithAllow) {
  cogi::app app;
  app.get("/items", echo("list"));
  app.post("/items", echo("create"));
  cogi::test_client client(app);
  const auto res = client.options("/items");
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.header("allow"), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(client.options("/nowhere").status, 404);
}

TEST(Router, TrailingSlashRedirects) {
  cogi::app app;
  app.get("/items", echo("list"));
  app.get("/dir/", echo("dir"));
  cogi::test_client client(app);
  auto res = client.get("/items/?page=2");
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(res.header("location"), "/items?page=2");
  res = client.get("/dir");
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(res.header("location"), "/dir/");
  EXPECT_EQ(client.post("/items/").status, 404);  // a redirect would lose the body
}

TEST(Router, IncludedRouterKeepsNamesAndSeesItsRootPath) {
  cogi::router users;
  users.get("/", echo("list"), "list");
  users.get("/{id:int}", [](request& req) -> task<> {
    co_return cogi::text(std::string(req.scope().root_path) + "|" + std::string(req.path()));
  }, "user");
  cogi::app app;
  app.include("/users", users, "users");
  app.get("/tags/{name}/{rest:path}", echo("tag"), "tag");
  cogi::test_client client(app);

  EXPECT_EQ(client.get("/users").body, "list");
  EXPECT_EQ(client.get("/users/5").body, "/users|/users/5");
  EXPECT_EQ(app.url_path_for("users:user", {{"id", "5"}}), "/users/5");
  EXPECT_EQ(app.url_path_for("users:list"), "/users");
  EXPECT_EQ(app.url_path_for("tag", {{"name", "c++ & co?"}, {"rest", "a b/c"}}), "/tags/c++%20&%20co%3F/a%20b/c");
  EXPECT_THROW(app.url_path_for("users:user", {{"id", "x"}}), std::invalid_argument);
  EXPECT_THROW(app.url_path_for("users:user"), std::invalid_argument);
  EXPECT_THROW(app.url_path_for("nobody"), std::invalid_argument);
}

TEST(Router, ServerRootPathIsHonoured) {
  cogi::app app;
  app.get("/hello", [](request& req) -> task<> {
    co_return cogi::text(std::string(req.scope().root_path) + "|" + std::string(req.path()));
  });
  cogi::test_client client(app, {.root_path = "/proxy"});
  EXPECT_EQ(client.get("/hello").body, "/proxy|/proxy/hello");
}

// A bare contract app that reports what it was given.
asio::awaitable<void> report_scope(cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
  const std::string body = std::string(scope.root_path) + "|" + std::string(scope.path);
  static constexpr cogi::header_field headers[] = {{"content-type", "text/plain"}};
  co_await send(cogi::response_start{200, headers});
  co_await send(cogi::response_body{body, false});
}

TEST(Router, MountedAppSeesTheRestOfThePath) {
  cogi::app app;
  app.get("/api/status", echo("status"));
  app.mount("/api", report_scope, "api");
  app.mount("/api/v2", report_scope);
  cogi::test_client client(app);

  EXPECT_EQ(client.get("/api/status").body, "status");  // routes before mounts
  EXPECT_EQ(client.get("/api/other/thing").body, "/api|/api/other/thing");
  EXPECT_EQ(client.get("/api").body, "/api|/api");
  EXPECT_EQ(client.get("/api/v2/x").body, "/api/v2|/api/v2/x");  // the longest prefix
  EXPECT_EQ(client.get("/apix").status, 404);
  EXPECT_EQ(app.url_path_for("api"), "/api");
}

// A mount at "/" is the root mount, as in Starlette (static_files.hpp shows it).
TEST(Router, MountAtSlashIsTheRoot) {
  cogi::app app;
  app.get("/api/status", echo("status"));
  app.mount("/", report_scope);
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/api/status").body, "status");  // routes still first
  EXPECT_EQ(client.get("/index.html").body, "|/index.html");
  EXPECT_THROW(app.mount("/api/", report_scope), std::logic_error);  // sealed: a copy is served
  cogi::router r;
  EXPECT_THROW(r.mount("/api/", report_scope), std::invalid_argument);
}

TEST(Router, MalformedPatternsAndDuplicatesAreRejected) {
  cogi::router r;
  EXPECT_THROW(r.get("no-slash", echo("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{id:bogus}", echo("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/x{id}", echo("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{p:path}/b", echo("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{id}/{id}", echo("x")), std::invalid_argument);
  r.get("/a/{id}", echo("x"));
  EXPECT_THROW(r.get("/a/{other}", echo("y")), std::invalid_argument);  // same shape, same method
  EXPECT_NO_THROW(r.post("/a/{other}", echo("y")));
}

TEST(Router, LookupCostsNothingPerRouteCount) {
  // Not a timing test (bench/micro/router_bench measures that): it checks that a table
  // of 1,000 parameter routes still finds each one.
  cogi::app app;
  for (int i = 0; i < 1000; ++i) app.get("/r" + std::to_string(i) + "/{id:int}", echo("r" + std::to_string(i)));
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/r0/1").body, "r0 id=1");
  EXPECT_EQ(client.get("/r999/2").body, "r999 id=2");
  EXPECT_EQ(client.get("/r1000/2").status, 404);
}

}  // namespace
