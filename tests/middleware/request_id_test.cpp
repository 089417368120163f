#include "cogi/middleware/request_id.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/test_client.hpp"
#include "tests/middleware/support.hpp"

namespace {

TEST(RequestId, GeneratedWhenAbsentAndEchoed) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::request_id());
  cogi::test_client client(app);
  const auto a = client.get("/seen");
  const auto b = client.get("/seen");
  const std::string id(a.header("x-request-id"));
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');  // version 4
  EXPECT_TRUE(a.body.ends_with(" " + id));  // the app saw the same id
  EXPECT_NE(id, b.header("x-request-id"));
}

TEST(RequestId, KeptWhenSaneReplacedWhenNot) {
  auto app = cogi::testing::echo_app();
  app.use(cogi::request_id());
  cogi::test_client client(app);
  auto res = client.get("/seen", {{"X-Request-ID", "abc-123"}});
  EXPECT_EQ(res.header("x-request-id"), "abc-123");
  EXPECT_TRUE(res.body.ends_with(" abc-123"));
  EXPECT_EQ(res.header_values("x-request-id").size(), 1u);

  res = client.get("/seen", {{"x-request-id", std::string(300, 'a')}});
  EXPECT_EQ(res.header("x-request-id").size(), 36u);
  res = client.get("/seen", {{"x-request-id", "has space"}});
  EXPECT_EQ(res.header("x-request-id").size(), 36u);
}

}  // namespace
