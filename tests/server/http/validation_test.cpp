#include "cogi/server/http/validation.hpp"

#include <gtest/gtest.h>

#include "cogi/server/http/percent.hpp"

namespace cogi::http {
namespace {

TEST(Validation, Tokens) {
  EXPECT_TRUE(is_token("GET"));
  EXPECT_TRUE(is_token("x-custom_header.v1!"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("a b"));
  EXPECT_FALSE(is_token("a:b"));
  EXPECT_FALSE(is_token("caf\xc3\xa9"));
}

TEST(Validation, Hosts) {
  for (const char* ok : {"example.com", "example.com:8080", "127.0.0.1", "[::1]", "[::1]:80", "a-b_c~d", "x%41"})
    EXPECT_TRUE(is_valid_host(ok)) << ok;
  for (const char* bad : {"", ":80", "a,b", "a b", "a/b", "a@b", "host:123456", "host:12a", "[::1", "[zz]", "a:b:c", "x%4"})
    EXPECT_FALSE(is_valid_host(bad)) << bad;
}

TEST(PercentDecode, DecodesAndKeepsMalformedSequences) {
  std::string storage;
  EXPECT_EQ(percent_decode("/plain", storage), "/plain");
  EXPECT_EQ(percent_decode("/a%20b%2Fc", storage), "/a b/c");
  EXPECT_EQ(percent_decode("/bad%zz%4", storage), "/bad%zz%4");
  EXPECT_EQ(percent_decode("/caf%C3%A9", storage), "/caf\xc3\xa9");
}

}  // namespace
}  // namespace cogi::http
