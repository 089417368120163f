// What a handler reads from a request: query parameters, headers, cookies, client,
// the body whole or streamed, JSON and forms, and per-request state.
#include "cogi/framework/request.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;

TEST(Request, QueryParamsAreDecodedAndRepeatedKeysKept) {
  cogi::app app;
  app.get("/search", [](request& req) -> task<> {
    const auto& q = req.query();
    std::string out = std::string(q.get_or("q", "-")) + "|";
    for (auto tag : q.get_all("tag")) out += std::string(tag) + ",";
    out += "|" + std::string(q.get_or("missing", "default"));
    out += "|" + std::to_string(q.contains("flag"));
    co_return cogi::text(out);
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/search?q=caf%C3%A9+au+lait&tag=a&tag=b&flag").body, "café au lait|a,b,|default|1");
  EXPECT_EQ(client.get("/search").body, "-||default|0");
  EXPECT_EQ(client.get("/search?q=100%25&&tag=%zz").body, "100%|%zz,|default|0");  // bad escapes kept
}

TEST(Request, HeadersAreCaseInsensitiveAndMultiValued) {
  cogi::app app;
  app.get("/h", [](request& req) -> task<> {
    std::string out = std::string(req.header("X-Token")) + "|";
    for (auto v : req.header_values("x-multi")) out += std::string(v) + ",";
    out += "|" + std::to_string(req.has_header("X-MISSING"));
    co_return cogi::text(out);
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/h", {{"x-token", "abc"}, {"X-Multi", "1"}, {"x-multi", "2"}}).body, "abc|1,2,|0");
}

TEST(Request, CookiesAndClient) {
  cogi::app app;
  app.get("/c", [](request& req) -> task<> {
    std::string out = std::string(req.cookie("session").value_or("none"));
    out += "|" + std::string(req.cookie("quoted").value_or("none"));
    out += "|" + std::string(req.cookie("absent").value_or("none"));
    out += "|" + req.client()->host;
    co_return cogi::text(out);
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/c", {{"cookie", "theme=dark; session=s3cr3t; quoted=\"a b\""}}).body,
            "s3cr3t|a b|none|testclient");
}

TEST(Request, WholeBodyIsBounded) {
  cogi::app app;
  app.post("/echo", [](request& req) -> task<> {
    const auto body = co_await req.body(10);
    co_return cogi::text(std::string(body));
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/echo", "0123456789").body, "0123456789");
  const auto res = client.post("/echo", "0123456789!");
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.json().get("detail").to_str(), "request body too large");

  cogi::test_request chunked;
  chunked.method = "POST";
  chunked.target = "/echo";
  chunked.body_chunks = {"01234", "56789"};
  EXPECT_EQ(client.request(chunked).body, "0123456789");
  chunked.body_chunks = {"01234", "56789", "!"};
  EXPECT_EQ(client.request(chunked).status, 413);
}

TEST(Request, BodyStreamsPieceByPiece) {
  cogi::app app;
  app.post("/count", [](request& req) -> task<> {
    std::string out;
    while (auto piece = co_await req.read_chunk()) out += "[" + std::string(*piece) + "]";
    co_return cogi::text(out);
  });
  cogi::test_client client(app);
  cogi::test_request req;
  req.method = "POST";
  req.target = "/count";
  req.body_chunks = {"ab", "", "cd", "e"};
  EXPECT_EQ(client.request(req).body, "[ab][cd][e]");  // never an empty piece
  EXPECT_EQ(client.post("/count").body, "");
}

TEST(Request, BodyAfterStreamingIsAProgrammingError) {
  cogi::app app;
  app.post("/mixed", [](request& req) -> task<> {
    co_await req.read_chunk();
    co_await req.body();
    co_return cogi::text("unreachable");
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/mixed", "abc").status, 500);
}

TEST(Request, JsonBody) {
  cogi::app app;
  app.post("/sum", [](request& req) -> task<> {
    const picojson::value doc = co_await req.json();
    double sum = 0;
    for (const auto& v : doc.get("numbers").get<picojson::array>()) sum += v.get<double>();
    picojson::object out;
    out["sum"] = picojson::value(sum);
    co_return cogi::json(picojson::value(out));
  });
  cogi::test_client client(app);
  picojson::value doc;
  picojson::parse(doc, R"({"numbers":[1,2,3.5]})");
  auto res = client.post_json("/sum", doc);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.json().get("sum").get<double>(), 6.5);

  res = client.post("/sum", "{\"numbers\": [1, 2", {{"content-type", "application/json"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_NE(res.json().get("detail").to_str().find("malformed JSON"), std::string::npos);
  EXPECT_EQ(client.post("/sum", "{} trailing").status, 400);
}

// Issue 12: a malformed body's 400 says what and where, never echoes the document, and
// invalid UTF-8 inside a string is refused (RFC 8259 §8.1), not echoed back.
TEST(Request, JsonErrorsAreSmallAndUtf8IsChecked) {
  cogi::app app;
  app.post("/echo-json", [](request& req) -> task<> {
    const picojson::value doc = co_await req.json(2 << 20);
    co_return cogi::json(doc);
  });
  cogi::test_client client(app);
  std::string huge = "{\"items\": [";
  for (int i = 0; i < 300'000; ++i) huge.append("1,");
  huge.append("x]}");  // 900 KB, wrong at its end
  auto res = client.post("/echo-json", huge);
  EXPECT_EQ(res.status, 400);
  EXPECT_LT(res.body.size(), 300u);
  const std::string detail = res.json().get("detail").to_str();
  EXPECT_NE(detail.find("expected a value at line 1, column 600012"), std::string::npos) << detail;

  res = client.post("/echo-json", "{\"name\": \"caf\xc3\x28\"}");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.json().get("detail").to_str().find("invalid UTF-8"), std::string::npos) << res.body;
  EXPECT_EQ(res.body.find('\xc3'), std::string::npos);  // the bad bytes are not sent back raw

  res = client.post("/echo-json", "{\"name\": \"caf\xc3\xa9\"}");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.json().get("name").to_str(), "caf\xc3\xa9");
}

TEST(Request, UrlEncodedForm) {
  cogi::app app;
  app.post("/form", [](request& req) -> task<> {
    const auto form = co_await req.form();
    std::string out = std::string(form.get_or("name", "?"));
    for (auto v : form.get_all("opt")) out += "," + std::string(v);
    co_return cogi::text(out);
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/form", "name=Ada+Lovelace&opt=1&opt=%32").body, "Ada Lovelace,1,2");
}

TEST(Request, StateCarriesValuesFromMiddlewareToHandler) {
  cogi::app app;
  app.use([](request& req, cogi::next_fn next) -> task<> {
    req.state().set("user", std::string("ada"));
    co_return co_await next(req);
  });
  app.get("/me", [](request& req) -> task<> {
    const auto* user = req.state().get<std::string>("user");
    co_return cogi::text(user ? *user : "anonymous");
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/me").body, "ada");
}

}  // namespace
