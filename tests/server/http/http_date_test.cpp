#include "cogi/server/http/http_date.hpp"

#include <gtest/gtest.h>

namespace {

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(cogi::http::format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(HttpDate, ParsesTheThreeFormats) {
  EXPECT_EQ(cogi::http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(cogi::http::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(cogi::http::parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(cogi::http::parse_http_date(""));
  EXPECT_FALSE(cogi::http::parse_http_date("yesterday"));
  EXPECT_FALSE(cogi::http::parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(cogi::http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

}  // namespace
