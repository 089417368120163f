// The framework examples as users run them: each binary started on a free port and
// asked the requests its header comment shows.
#include <gtest/gtest.h>

#include "tests/support/child_process.hpp"
#include "tests/support/raw_client.hpp"

#ifndef COGI_EXAMPLES_DIR
#error "COGI_EXAMPLES_DIR must name the directory of the example binaries"
#endif

namespace cogi::testing {
namespace {

std::string binary(const std::string& name) {
  std::string path = COGI_EXAMPLES_DIR;
  path.append("/").append(name);
  return path;
}

struct example {
  explicit example(const std::string& name) : process(binary(name), {"--port", "0"}) {
    const auto found = process.wait_for_port();
    if (!found) throw std::runtime_error(name + " did not start: " + process.output());
    port = *found;
  }
  http_response request(const std::string& raw) {
    raw_client client(port);
    client.send(raw);
    return client.read_response();
  }
  child_process process;
  std::uint16_t port = 0;
};

TEST(FrameworkExamples, Hello) {
  example hello("hello");
  EXPECT_EQ(get(hello.port, "/").body, "Hello, World!");
}

// The bare contract app README.md shows.
TEST(FrameworkExamples, ContractApp) {
  example hello("contract_app");
  const auto res = get(hello.port, "/anything");
  EXPECT_EQ(res.body, "hello\n");
  EXPECT_EQ(res.header("content-type"), "text/plain");
}

TEST(FrameworkExamples, RestApi) {
  example api("rest_api");
  const std::string body = R"({"title":"Dune","tags":["books"]})";
  auto res = api.request("POST /notes HTTP/1.1\r\nHost: x\r\nX-User: ada\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.header("location"), "/notes/1");
  EXPECT_NE(res.body.find(R"("id":1,"owner":"ada","title":"Dune","body":null,"tags":["books"],"level":"normal")"),
            std::string::npos)
      << res.body;
  res = api.request("GET /notes?tag=books&limit=10 HTTP/1.1\r\nHost: x\r\nX-User: ada\r\n\r\n");
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.starts_with(R"([{"id":1,)")) << res.body;
  res = api.request("GET /notes/1 HTTP/1.1\r\nHost: x\r\nX-User: bob\r\n\r\n");
  EXPECT_EQ(res.status, 404);  // not bob's
  res = api.request("GET /notes?limit=0 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["header","x-user"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["query","limit"],"msg":"Input should be greater than or equal to 1","type":"greater_than_equal"}]})");
  EXPECT_EQ(get(api.port, "/openapi.json").status, 200);
}

TEST(FrameworkExamples, Streaming) {
  example streaming("streaming");
  auto res = get(streaming.port, "/count?to=3");
  EXPECT_TRUE(res.chunked);
  EXPECT_EQ(res.body, "1\n2\n3\n");
  raw_client events(streaming.port);
  events.send("GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string first = events.read_available(std::chrono::milliseconds(500));
  EXPECT_NE(first.find("content-type: text/event-stream"), std::string::npos);
  EXPECT_NE(first.find("event: tick\ndata: tick 0\n\n"), std::string::npos);
}

TEST(FrameworkExamples, Middleware) {
  example mw("middleware");
  auto res = get(mw.port, "/");
  EXPECT_EQ(res.body, "public");
  EXPECT_TRUE(res.header("x-response-time").has_value());
  EXPECT_EQ(res.header("x-request-id").value_or("").size(), 36u);
  EXPECT_EQ(get(mw.port, "/admin").status, 401);
  res = mw.request("GET /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer letmein\r\n\r\n");
  EXPECT_EQ(res.body, "secret");
}

}  // namespace
}  // namespace cogi::testing
