// The demo app through the test client: the fixed routes of docs/demo.md and the
// framework showcase beside them (CRUD API, SSE clock, static page).
#include "examples/demo/demo_app.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"

namespace {

picojson::value parse(const std::string& text) {
  picojson::value v;
  picojson::parse(v, text);
  return v;
}

TEST(Demo, FixedRoutes) {
  cogi::test_client client(cogi::examples::demo_app());
  EXPECT_EQ(client.get("/plaintext").body, "Hello, World!");
  EXPECT_EQ(client.get("/json").body, R"({"message":"Hello, World!"})");
  EXPECT_EQ(client.get("/sleep?ms=5").body, "ok");
  EXPECT_EQ(client.get("/stream?n=2").chunks, (std::vector<std::string>{"chunk 0\n", "chunk 1\n"}));
  EXPECT_EQ(client.post("/echo", "abc").body, "abc");
  EXPECT_EQ(client.post("/echo").body, "");
  EXPECT_EQ(client.get("/nothing").status, 404);
  const auto res = client.post("/plaintext");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET, HEAD");
}

TEST(Demo, ItemsCrud) {
  cogi::test_client client(cogi::examples::demo_app());
  EXPECT_EQ(client.get("/items").body, "[]");

  auto res = client.post_json("/items", parse(R"({"name":"write tests"})"));
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.header("location"), "/items/1");
  EXPECT_EQ(res.json().get("name").to_str(), "write tests");
  EXPECT_EQ(res.json().get("done").get<bool>(), false);

  res = client.request({.method = "PUT",
                        .target = "/items/1",
                        .headers = {{"content-type", "application/json"}},
                        .body = R"({"name":"write tests","done":true})"});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(client.get("/items/1").json().get("done").get<bool>(), true);
  EXPECT_EQ(client.get("/items").json().get<picojson::array>().size(), 1u);

  EXPECT_EQ(client.delete_("/items/1").status, 204);
  EXPECT_EQ(client.get("/items/1").status, 404);
  EXPECT_EQ(client.delete_("/items/1").status, 404);
  EXPECT_EQ(client.get("/items/abc").status, 404);
}

TEST(Demo, ItemsRejectBadInputWithEveryReasonInFastApisShape) {
  cogi::test_client client(cogi::examples::demo_app());
  auto res = client.post("/items", "{not json", {{"content-type", "application/json"}});
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.json().get("detail").get(0).get("type").to_str(), "json_invalid");
  res = client.post_json("/items", parse(R"([1,2])"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from",)"
            R"("type":"model_attributes_type"}]})");
  res = client.post_json("/items", parse(R"({"name":"","done":"yes"})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["body","name"],"msg":"String should have at least 1 character","type":"string_too_short"},)"
            R"({"loc":["body","done"],"msg":"Input should be a valid boolean","type":"bool_type"}]})");
  EXPECT_EQ(client.get("/items").body, "[]");  // nothing was stored
}

TEST(Demo, ClockStreamsEvents) {
  cogi::test_client client(cogi::examples::demo_app());
  const auto res = client.get("/events/clock?interval_ms=10&count=3");
  EXPECT_EQ(res.header("content-type"), "text/event-stream");
  ASSERT_EQ(res.chunks.size(), 3u);
  EXPECT_TRUE(res.chunks[0].starts_with("event: tick\nid: 0\ndata: "));
  EXPECT_TRUE(res.chunks[2].starts_with("event: tick\nid: 2\ndata: "));
  EXPECT_TRUE(res.chunks[2].ends_with(" GMT\n\n"));
}

TEST(Demo, StaticPage) {
  cogi::test_client client(cogi::examples::demo_app());
  auto res = client.get("/");
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(res.header("location"), "/static/");
  res = client.get("/static/");
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("EventSource(\"/events/clock\")"), std::string::npos);
  EXPECT_EQ(client.get("/static/style.css").header("content-type"), "text/css; charset=utf-8");
}

}  // namespace
