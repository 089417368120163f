// fetch::url: what a request is sent to, and references resolved as RFC 3986 says.

#include "cogi/clients/http/url.hpp"

#include <gtest/gtest.h>

#include "cogi/clients/http/errors.hpp"

namespace fetch = cogi::fetch;

TEST(FetchUrl, SplitsWhatARequestNeeds) {
  const auto u = fetch::url::parse("HTTP://Example.TEST:8080/a/b?x=1&y=2#top");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "example.test");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.target, "/a/b?x=1&y=2");
  EXPECT_EQ(u.fragment, "top");
  EXPECT_EQ(u.authority(), "example.test:8080");
  EXPECT_EQ(u.origin(), "http://example.test:8080");
  EXPECT_EQ(u.text(), "http://example.test:8080/a/b?x=1&y=2#top");
}

TEST(FetchUrl, DefaultsPortAndPath) {
  const auto u = fetch::url::parse("http://127.0.0.1");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.authority(), "127.0.0.1");
  EXPECT_EQ(fetch::url::parse("https://h/").port, 443);
  EXPECT_EQ(fetch::url::parse("http://h:/x").port, 80);  // an empty port is the default
  EXPECT_EQ(fetch::url::parse("http://h?q").target, "/?q");
}

TEST(FetchUrl, Ipv6LiteralsKeepTheirBracketsOnlyInText) {
  const auto u = fetch::url::parse("http://[::1]:9000/p");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_EQ(u.authority(), "[::1]:9000");
  EXPECT_TRUE(u.is_ipv6());
}

TEST(FetchUrl, EncodesWhatARequestLineCannotCarry) {
  EXPECT_EQ(fetch::url::parse("http://h/a b/\xc3\xa9?q=a b").target, "/a%20b/%C3%A9?q=a%20b");
  EXPECT_EQ(fetch::url::parse("http://h/100%/%41").target, "/100%25/%41");  // a bare % is encoded, %41 kept
  EXPECT_EQ(fetch::url::parse("http://h/a/./b/../c").target, "/a/c");
  EXPECT_EQ(fetch::url::parse("  http://h/x  ").target, "/x");
}

TEST(FetchUrl, RefusesWhatCannotBeRequested) {
  for (const char* bad : {"", "/relative", "ftp://h/", "http:///nohost", "http://user:pw@h/", "http://h:0/",
                          "http://h:65536/", "http://h:8x/", "http://[::1/", "http://[zz]/", "http://h/\r\n",
                          "http://h o/", "mailto:a@b"}) {
    EXPECT_THROW(fetch::url::parse(bad), fetch::invalid_url) << bad;
    EXPECT_FALSE(fetch::url::try_parse(bad).has_value()) << bad;
  }
}

// RFC 3986 section 5.4.1, the normal examples, with an http base.
TEST(FetchUrl, ResolvesReferencesAsRfc3986Section5_4) {
  const auto base = fetch::url::parse("http://a/b/c/d;p?q");
  const std::pair<const char*, const char*> cases[] = {
      {"g", "http://a/b/c/g"},          {"./g", "http://a/b/c/g"},        {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},             {"//g", "http://g/"},             {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},      {"#s", "http://a/b/c/d;p?q#s"},   {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},  {";x", "http://a/b/c/;x"},        {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},    {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},          {"..", "http://a/b/"},            {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},         {"../..", "http://a/"},           {"../../", "http://a/"},
      {"../../g", "http://a/g"},        {"../../../g", "http://a/g"},     {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},          {"g.", "http://a/b/c/g."},        {"g..", "http://a/b/c/g.."},
      {"./../g", "http://a/b/g"},       {"g/./h", "http://a/b/c/g/h"},    {"g/../h", "http://a/b/c/h"},
      {"http://other:81/x", "http://other:81/x"},
  };
  for (const auto& [reference, expected] : cases) {
    EXPECT_EQ(base.resolve(reference).text(), expected) << reference;
  }
  EXPECT_THROW(base.resolve("mailto:someone@example.test"), fetch::invalid_url);
}

TEST(FetchUrl, RemovesDotSegments) {
  EXPECT_EQ(fetch::remove_dot_segments("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(fetch::remove_dot_segments("mid/content=5/../6"), "mid/6");
  EXPECT_EQ(fetch::remove_dot_segments("/.."), "/");
  EXPECT_EQ(fetch::remove_dot_segments("/a/.."), "/");
}
