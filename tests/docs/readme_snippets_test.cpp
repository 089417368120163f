// README.md's code, compiled and run as written (tests/docs/check_snippets.py checks
// that every line of its ```cpp blocks appears in a test or an example; the first and
// third blocks are examples/hello.cpp and examples/contract_app.cpp, run as processes).

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <picojson.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run_blocking.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/wait_for.hpp"

namespace readme_snippets {

// The typed endpoint on the first screen.
struct note_in {
  std::string title;
  std::vector<std::string> tags;
  int priority = 3;
};
COGI_MODEL(note_in, (title, min_length(1), max_length(200)), (tags, defaulted), (priority, defaulted, ge(1), le(5)));

struct note {
  std::string folder, title;
};
COGI_MODEL(note, folder, title);

note save(const std::string& folder, const note_in& in) { return {folder, in.title}; }

TEST(Readme, TypedEndpoint) {
  cogi::app app;
  app.post("/notes", [](cogi::body<note_in> in, cogi::query<"folder", std::string, cogi::defaults_to("inbox")> folder)
                         -> cogi::task<note> { co_return save(*folder, *in); }).status(201);
  app.openapi();  // GET /openapi.json, and Swagger UI at /docs
  cogi::test_client client(app);
  const auto created = client.post("/notes", R"({"title": "Dune"})");
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.body, R"({"folder":"inbox","title":"Dune"})");
  // The answer README.md shows, byte for byte (its line breaks aside).
  const auto refused = client.post("/notes", R"({"tags": "x", "priority": 9})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body,
            R"({"detail":[{"loc":["body","title"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["body","tags"],"msg":"Input should be a valid list","type":"list_type"},)"
            R"({"loc":["body","priority"],"msg":"Input should be less than or equal to 5","type":"less_than_equal"}]})");
  EXPECT_EQ(client.get("/openapi.json").status, 200);
}

using namespace std::chrono_literals;

// "Testing": a users API, its app factory, and a parse() for the test's JSON.
picojson::value parse(const std::string& text) { return cogi::read_json(text); }

cogi::app make_app() {
  cogi::app app;
  app.post("/users", [](cogi::request& req) -> cogi::task<> {
    const picojson::value doc = co_await req.json();
    auto res = cogi::json(doc, 201);
    res.headers.set("location", "/users/1");
    co_return res;
  });
  app.get("/users/{id:int}", [](cogi::request&) -> cogi::task<> {
    picojson::object ada;
    ada["name"] = picojson::value("Ada");
    co_return cogi::json(picojson::value(ada));
  });
  return app;
}

TEST(Users, CreateThenFetch) {
  cogi::test_client client(make_app());
  auto created = client.post_json("/users", parse(R"({"name":"Ada"})"));
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(client.get(std::string(created.header("location"))).json().get("name").to_str(), "Ada");
}

// "The async toolkit": a handler making two calls at once, then a blocking one.
struct user {
  std::string name;
};
struct order {
  int total = 0;
};

asio::awaitable<user> fetch_user() {
  co_await cogi::async::sleep_for(1ms);
  co_return user{"Ada"};
}
asio::awaitable<std::vector<order>> fetch_orders() {
  co_await cogi::async::sleep_for(2ms);
  co_return std::vector<order>{{3}, {4}};
}
std::string render(const user& u, const std::vector<order>& orders) {
  return u.name + " has " + std::to_string(orders.size()) + " orders";
}
std::string sha256(const std::string& text) { return std::to_string(std::hash<std::string>{}(text)); }  // a stand-in

asio::awaitable<void> handler(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) {
  if (scope.type != cogi::scope_type::http) co_return;
  namespace async = cogi::async;
  // Two calls at once, neither allowed more than 200 ms.
  auto [user, orders] = co_await async::gather(async::wait_for(fetch_user(), 200ms),
                                               async::wait_for(fetch_orders(), 200ms));
  auto digest = co_await async::run_blocking(sha256, render(user, orders));
  co_await receive();
  co_await send(cogi::response_start{200, {}});
  co_await send(cogi::response_body{digest, false});
}

TEST(ReadmeSnippets, AsyncToolkitHandler) {
  cogi::test_client client(handler);
  EXPECT_EQ(client.get("/").body, sha256("Ada has 2 orders"));
}

}  // namespace readme_snippets
