// Typed handlers: parameters read from every part of the request, every problem in
// one 422 in FastAPI's shape, results written as JSON with the route's status.

#include "cogi/framework/typed/endpoint.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace shop {

enum class sort_order { newest, oldest };
COGI_ENUM(sort_order, newest, oldest);

struct item_in {
  std::string name;
  double price = 0;
  std::vector<std::string> tags;
};
COGI_MODEL(item_in, (name, min_length(1)), (price, gt(0)), (tags, defaulted));

struct item_out {
  std::int64_t id = 0;
  std::string name;
  double price = 0;
  std::vector<std::string> tags;
  std::optional<std::string> owner;
};
COGI_MODEL(item_out, id, name, price, tags, owner);

}  // namespace shop

namespace {

using namespace shop;

cogi::app make_typed_app() {
  cogi::app app;
  app.post("/folders/{folder}/items",
           [](cogi::path<"folder", std::int64_t> folder, cogi::body<item_in> in,
              cogi::header<"x-owner", std::optional<std::string>> owner) -> cogi::task<item_out> {
             item_out out{*folder * 100, in->name, in->price, in->tags, *owner};
             co_return out;
           })
      .status(201);
  app.get("/items", [](cogi::query<"limit", int> limit, cogi::query<"tag", std::vector<std::string>> tags,
                       cogi::query<"sort", std::optional<sort_order>> sort,
                       cogi::cookie<"session", std::optional<std::string>> session) -> cogi::task<std::vector<item_out>> {
    std::vector<item_out> out;
    for (int i = 0; i < *limit; ++i) {
      item_out item{i, sort->value_or(sort_order::newest) == sort_order::newest ? "new" : "old", 1.5, *tags,
                    *session};
      out.push_back(item);
    }
    co_return out;
  });
  app.delete_("/items/{id:int}", [](cogi::path<"id", int> id) -> cogi::task<void> {
    if (*id == 0) throw cogi::http_exception(404, "no such item");
    co_return;
  });
  app.put("/raw/{id}", [](cogi::request& req, cogi::path<"id", std::uint8_t> id,
                          cogi::body<std::optional<item_in>> in) -> cogi::task<> {
    co_return cogi::text(std::string(req.method()) + " " + std::to_string(*id) + " " + (in->has_value() ? "body" : "none"));
  });
  app.get("/plain", [](cogi::request&) -> cogi::task<> { co_return cogi::text("plain"); });
  return app;
}

std::string detail_of(const cogi::test_response& res) {
  return res.body;
}

TEST(TypedHandlers, ReadsPathBodyAndHeaderAndWritesTheModelWithItsStatus) {
  cogi::test_client client(make_typed_app());
  const auto res = client.post("/folders/7/items", R"({"name": "pen", "price": 2.5, "tags": ["office"]})",
                               {{"content-type", "application/json"}, {"X-Owner", "ada"}});
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_EQ(res.body, R"({"id":700,"name":"pen","price":2.5,"tags":["office"],"owner":"ada"})");
}

TEST(TypedHandlers, EveryProblemOfTheRequestInOne422) {
  cogi::test_client client(make_typed_app());
  const auto res = client.post("/folders/x/items", R"({"price": -1, "tags": "office"})");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_EQ(detail_of(res),
            R"({"detail":[)"
            R"({"loc":["path","folder"],"msg":"Input should be a valid integer, unable to parse string as an integer","type":"int_parsing"},)"
            R"({"loc":["body","name"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["body","price"],"msg":"Input should be greater than 0","type":"greater_than"},)"
            R"({"loc":["body","tags"],"msg":"Input should be a valid list","type":"list_type"}]})");
}

TEST(TypedHandlers, MalformedAndMissingBodies) {
  cogi::test_client client(make_typed_app());
  auto res = client.post("/folders/1/items", R"({"name": )");
  EXPECT_EQ(res.status, 422);
  EXPECT_NE(res.body.find(R"("loc":["body",9])"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find(R"("type":"json_invalid")"), std::string::npos);
  res = client.post("/folders/1/items", "");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body, R"({"detail":[{"loc":["body"],"msg":"Field required","type":"missing"}]})");
  res = client.post("/folders/1/items", "[1]");
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","type":"model_attributes_type"}]})");
}

TEST(TypedHandlers, QueryParametersRepeatedOptionalAndEnums) {
  cogi::test_client client(make_typed_app());
  auto res = client.get("/items?limit=2&tag=a&tag=b&sort=oldest", {{"cookie", "session=s1"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"([{"id":0,"name":"old","price":1.5,"tags":["a","b"],"owner":"s1"},)"
                      R"({"id":1,"name":"old","price":1.5,"tags":["a","b"],"owner":"s1"}])");
  res = client.get("/items?limit=1");
  EXPECT_EQ(res.body, R"([{"id":0,"name":"new","price":1.5,"tags":[],"owner":null}])");
  res = client.get("/items?sort=sideways");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["query","limit"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["query","sort"],"msg":"Input should be 'newest' or 'oldest'","type":"enum"}]})");
}

TEST(TypedHandlers, VoidIs204AndHttpExceptionsStillWork) {
  cogi::test_client client(make_typed_app());
  EXPECT_EQ(client.delete_("/items/3").status, 204);
  EXPECT_EQ(client.delete_("/items/0").status, 404);
  // The route's own type ({id:int}) keeps the 404 for a path that does not fit it.
  EXPECT_EQ(client.delete_("/items/x").status, 404);
}

TEST(TypedHandlers, RequestBesideTypedParametersAndOptionalBody) {
  cogi::test_client client(make_typed_app());
  EXPECT_EQ(client.put("/raw/5", "").body, "PUT 5 none");
  EXPECT_EQ(client.put("/raw/5", R"({"name": "a", "price": 1})").body, "PUT 5 body");
  const auto res = client.put("/raw/300", "");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["path","id"],"msg":"Input should be less than or equal to 255","type":"less_than_equal"}]})");
  EXPECT_EQ(client.get("/plain").body, "plain");
}

TEST(TypedHandlers, ParameterRulesAndDefaults) {
  cogi::app app;
  app.get("/page", [](cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit,
                      cogi::query<"sort", sort_order, cogi::defaults_to("oldest")> sort,
                      cogi::query<"q", std::optional<std::string>, cogi::max_length(5)> q,
                      cogi::header<"x-page-token", std::string, cogi::defaults_to("none")> token) -> cogi::task<> {
    co_return cogi::text(std::to_string(*limit) + " " + (*sort == sort_order::oldest ? "oldest" : "newest") + " " +
                         q->value_or("-") + " " + *token);
  });
  app.openapi();
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/page").body, "20 oldest - none");
  EXPECT_EQ(client.get("/page?limit=5&sort=newest&q=abc").body, "5 newest abc none");
  const auto res = client.get("/page?limit=0&q=toolong");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["query","limit"],"msg":"Input should be greater than or equal to 1","type":"greater_than_equal"},)"
            R"({"loc":["query","q"],"msg":"String should have at most 5 characters","type":"string_too_long"}]})");
  const std::string doc = client.get("/openapi.json").body;
  EXPECT_NE(doc.find(R"({"name":"limit","in":"query","required":false,"schema":{"type":"integer","format":"int32","minimum":1,"maximum":100,"default":20}})"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find(R"("schema":{"$ref":"#/components/schemas/sort_order","default":"oldest"})"), std::string::npos);
}

TEST(TypedHandlers, TheBodyLimitIsTheRoutes) {
  cogi::app app;
  app.post("/small", [](cogi::body<std::string> text) -> cogi::task<std::string> { co_return *text; }).body_limit(8);
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/small", R"("abc")").body, R"("abc")");
  EXPECT_EQ(client.post("/small", R"("abcdefgh")").status, 413);
}

TEST(TypedHandlers, APathParameterMissingFromThePatternIsRefusedAtRegistration) {
  cogi::app app;
  EXPECT_THROW(app.get("/items/{id}", [](cogi::path<"item_id", int>) -> cogi::task<void> { co_return; }),
               std::invalid_argument);
}

TEST(TypedHandlers, AnExceptionHandlerCanRenderValidationErrors) {
  cogi::app app = make_typed_app();
  app.exception_handler<cogi::request_validation_error>(
      [](cogi::request&, const cogi::request_validation_error& e) -> cogi::task<> {
        co_return cogi::text(std::to_string(e.errors().size()) + " problems", 400);
      });
  cogi::test_client client(app);
  const auto res = client.get("/items?limit=x&sort=up");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, "2 problems");
}

TEST(TypedHandlers, RouteDetailsAreKeptForTheDocumentation) {
  cogi::app app;
  auto ref = app.get("/a", [](cogi::query<"q", std::optional<int>>) -> cogi::task<void> { co_return; });
  ref.summary("Find").description("Finds things").tags({"things"}).deprecated().name("find");
  const auto& op = *app.routes().back().op;
  EXPECT_EQ(op.summary, "Find");
  EXPECT_EQ(op.tags, std::vector<std::string>{"things"});
  EXPECT_TRUE(op.deprecated);
  ASSERT_EQ(op.parameters.size(), 1u);
  EXPECT_EQ(op.parameters[0].name, "q");
  EXPECT_FALSE(op.parameters[0].required);
  EXPECT_EQ(app.url_path_for("find"), "/a");
  EXPECT_EQ(op.success_status(), 204);
  cogi::test_client client(app);
  EXPECT_THROW(ref.status(201), std::logic_error);
}

}  // namespace
