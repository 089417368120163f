// The OpenAPI document: paths, operations, parameters, bodies, results and components
// as a client generator or the docs page reads them (a real validator checks the
// demo's document in tests/clients/openapi_check.sh).

#include "cogi/framework/openapi/openapi.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/openapi/swagger_ui_assets.hpp"
#include "cogi/framework/test_client.hpp"
#include "examples/demo/demo_app.hpp"

namespace library {

enum class genre { novel, poetry };
COGI_ENUM(genre, novel, poetry);

struct author {
  std::string name;
};
COGI_MODEL(author, (name, min_length(1)));

struct book {
  std::string title;
  std::optional<std::string> subtitle;
  std::vector<author> authors;
  genre kind = genre::novel;
  std::uint8_t rating = 3;
  double price = 0;
};
COGI_MODEL(book, (title, min_length(1), max_length(100), description("As on the cover")), subtitle,
           (authors, min_length(1)), (kind, defaulted), (rating, defaulted, le(5)), (price, gt(0)));

}  // namespace library

namespace {

using namespace library;

cogi::app make_documented_app() {
  cogi::app app;
  app.post("/shelves/{shelf:int}/books", [](cogi::path<"shelf", int> shelf, cogi::body<book> in,
                                            cogi::query<"notify", std::optional<bool>> notify,
                                            cogi::header<"x-trace", std::optional<std::string>>)
                                             -> cogi::task<book> { co_return *in; })
      .status(201)
      .summary("Shelve a book")
      .tags({"books"});
  app.get("/books", []() -> cogi::task<std::vector<book>> { co_return std::vector<book>{}; }, "list_books")
      .deprecated();
  app.get("/raw/{name}", [](cogi::request&) -> cogi::task<> { co_return cogi::text("raw"); });
  app.get("/secret", [](cogi::request&) -> cogi::task<> { co_return cogi::text("s"); }).hidden();
  app.openapi({.title = "Library", .version = "2.0.0"});
  return app;
}

picojson::value document_of(cogi::app_fn app, std::string_view root_path = {}) {
  cogi::test_client client(app, {.root_path = std::string(root_path)});
  const auto res = client.get("/openapi.json");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-type"), "application/json");
  return cogi::read_json(res.body);
}

const picojson::value& at(const picojson::value& v, std::initializer_list<std::string> keys) {
  const picojson::value* cur = &v;
  for (const auto& k : keys) {
    if (!cur->is<picojson::object>() || !cur->contains(k)) throw std::runtime_error("no " + k);
    cur = &cur->get(k);
  }
  return *cur;
}

// Compact JSON text, '/' unescaped (picojson writes "\/").
std::string text(const picojson::value& v) {
  std::string out = v.serialize();
  for (std::size_t at = out.find("\\/"); at != std::string::npos; at = out.find("\\/", at)) out.erase(at, 1);
  return out;
}

TEST(OpenApi, DescribesTypedOperations) {
  const picojson::value doc = document_of(make_documented_app());
  EXPECT_EQ(at(doc, {"openapi"}).to_str(), "3.1.0");
  EXPECT_EQ(at(doc, {"info", "title"}).to_str(), "Library");
  const auto& post = at(doc, {"paths", "/shelves/{shelf}/books", "post"});
  EXPECT_EQ(at(post, {"summary"}).to_str(), "Shelve a book");
  EXPECT_EQ(text(at(post, {"tags"})), R"(["books"])");
  EXPECT_EQ(text(at(post, {"parameters"})),
            R"([{"in":"path","name":"shelf","required":true,"schema":{"format":"int32","type":"integer"}},)"
            R"({"in":"query","name":"notify","required":false,"schema":{"type":"boolean"}},)"
            R"({"in":"header","name":"x-trace","required":false,"schema":{"type":"string"}}])");
  EXPECT_EQ(text(at(post, {"requestBody"})),
            R"({"content":{"application/json":{"schema":{"$ref":"#/components/schemas/book"}}},"required":true})");
  EXPECT_EQ(text(at(post, {"responses", "201", "content", "application/json", "schema"})),
            R"({"$ref":"#/components/schemas/book"})");
  EXPECT_EQ(at(post, {"responses", "422", "content", "application/json", "schema", "$ref"}).to_str(),
            "#/components/schemas/HTTPValidationError");
}

TEST(OpenApi, ModelsBecomeComponentsWithTheirRules) {
  const picojson::value doc = document_of(make_documented_app());
  const auto& schemas = at(doc, {"components", "schemas"});
  EXPECT_EQ(text(at(schemas, {"book"})),
            R"({"properties":{)"
            R"("authors":{"items":{"$ref":"#/components/schemas/author"},"minItems":1,"type":"array"},)"
            R"("kind":{"$ref":"#/components/schemas/genre","default":"novel"},)"
            R"("price":{"exclusiveMinimum":0,"format":"double","type":"number"},)"
            R"("rating":{"default":3,"format":"int32","maximum":5,"minimum":0,"type":"integer"},)"
            R"("subtitle":{"anyOf":[{"type":"string"},{"type":"null"}]},)"
            R"("title":{"description":"As on the cover","maxLength":100,"minLength":1,"type":"string"}},)"
            R"("required":["title","authors","price"],"title":"book","type":"object"})");
  EXPECT_EQ(text(at(schemas, {"genre"})), R"({"enum":["novel","poetry"],"title":"genre","type":"string"})");
  EXPECT_TRUE(schemas.contains("author"));
  EXPECT_TRUE(schemas.contains("HTTPValidationError"));
  EXPECT_TRUE(schemas.contains("ValidationError"));
}

TEST(OpenApi, PlainAndHiddenRoutes) {
  const picojson::value doc = document_of(make_documented_app());
  const auto& paths = at(doc, {"paths"});
  EXPECT_FALSE(paths.contains("/secret"));
  EXPECT_FALSE(paths.contains("/openapi.json"));
  EXPECT_FALSE(paths.contains("/docs"));
  const auto& raw = at(paths, {"/raw/{name}", "get"});
  EXPECT_EQ(text(at(raw, {"parameters"})), R"([{"in":"path","name":"name","required":true,"schema":{"type":"string"}}])");
  EXPECT_EQ(text(at(raw, {"responses"})), R"({"200":{"description":"Successful Response"}})");
  const auto& list = at(paths, {"/books", "get"});
  EXPECT_EQ(at(list, {"operationId"}).to_str(), "list_books_get_books");
  EXPECT_TRUE(at(list, {"deprecated"}).get<bool>());
  EXPECT_FALSE(list.contains("parameters"));
}

TEST(OpenApi, NamesTheRootPathAsItsServer) {
  const picojson::value doc = document_of(make_documented_app(), "/api");
  EXPECT_EQ(text(at(doc, {"servers"})), R"([{"url":"/api"}])");
}

TEST(OpenApi, DocsPageAndItsAssets) {
  cogi::test_client client(make_documented_app(), {.root_path = "/api"});
  const auto page = client.get("/docs");
  if (cogi::swagger_ui_version().empty()) {
    EXPECT_EQ(page.status, 503);
    GTEST_SKIP() << "built without Swagger UI";
  }
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(R"(<link rel="stylesheet" href="/api/docs/swagger-ui.css">)"), std::string::npos);
  EXPECT_NE(page.body.find(R"(url: "/api/openapi.json")"), std::string::npos);
  const auto js = client.get("/docs/swagger-ui-bundle.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_GT(js.body.size(), 100000u);
  EXPECT_EQ(client.get("/docs/swagger-ui.css").header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(client.get("/docs/other.js").status, 404);
}

TEST(OpenApi, BothCanBeSwitchedOff) {
  cogi::app no_docs;
  no_docs.openapi({.docs_path = ""});
  cogi::test_client client(no_docs);
  EXPECT_EQ(client.get("/openapi.json").status, 200);
  EXPECT_EQ(client.get("/docs").status, 404);
  cogi::app none;
  none.openapi({.openapi_path = ""});
  cogi::test_client other(none);
  EXPECT_EQ(other.get("/openapi.json").status, 404);
  EXPECT_EQ(other.get("/docs").status, 404);
}

TEST(OpenApi, TheDemoDocumentsItsTypedItemsApi) {
  const picojson::value doc = document_of(cogi::examples::demo_app());
  const auto& create = at(doc, {"paths", "/items", "post"});
  EXPECT_EQ(text(at(create, {"tags"})), R"(["items"])");
  EXPECT_TRUE(at(create, {"responses"}).contains("201"));
  EXPECT_EQ(text(at(doc, {"components", "schemas", "item_in", "required"})), R"(["name"])");
}

}  // namespace
