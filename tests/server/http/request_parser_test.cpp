#include "cogi/server/http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cogi::http {
namespace {

struct parsed {
  std::optional<rejection> error;
  request_head head;
  std::string storage;  // the views in head point here
};

std::unique_ptr<parsed> parse(std::string text) {
  static const limits l;
  auto result = std::make_unique<parsed>();
  result->storage = std::move(text);
  request_parser parser(l);
  result->error = parser.parse(result->storage.data(), result->storage.size(), result->head);
  return result;
}

int status_of(std::string text) {
  auto result = parse(std::move(text));
  return result->error ? result->error->status : 0;
}

TEST(RequestParser, ParsesMethodTargetVersionAndLowerCasedHeaders) {
  auto r = parse("GET /a%20b/c?x=1&y=2 HTTP/1.1\r\nHost: example.com:8080\r\nX-Thing: One \r\nx-thing: two\r\n\r\n");
  ASSERT_FALSE(r->error) << r->error->reason;
  EXPECT_EQ(r->head.method, "GET");
  EXPECT_EQ(r->head.raw_path, "/a%20b/c");
  EXPECT_EQ(r->head.query_string, "x=1&y=2");
  EXPECT_EQ(r->head.version_minor, 1);
  ASSERT_EQ(r->head.headers.size(), 3u);
  EXPECT_EQ(r->head.headers[1].name, "x-thing");
  EXPECT_EQ(r->head.headers[1].value, "One");  // trailing whitespace is not part of the value
  EXPECT_EQ(r->head.headers[2].value, "two");
  EXPECT_TRUE(r->head.keep_alive);
  EXPECT_EQ(r->head.framing, body_framing::none);
}

TEST(RequestParser, BodyFraming) {
  auto cl = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n");
  ASSERT_FALSE(cl->error);
  EXPECT_EQ(cl->head.framing, body_framing::content_length);
  EXPECT_EQ(cl->head.content_length, 42u);
  auto chunked = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  ASSERT_FALSE(chunked->error);
  EXPECT_EQ(chunked->head.framing, body_framing::chunked);
}

TEST(RequestParser, SmugglingVectorsAre400) {
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\t2\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -0\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551616\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"), 0);
}

// RFC 9110 §8.6: Content-Length = 1*DIGIT, so leading zeros are valid and decimal.
TEST(RequestParser, ContentLengthWithLeadingZerosIsDecimal) {
  auto seven = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n");
  ASSERT_FALSE(seven->error) << seven->error->reason;
  EXPECT_EQ(seven->head.framing, body_framing::content_length);
  EXPECT_EQ(seven->head.content_length, 7u);
  auto ten = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0010\r\n\r\n");
  ASSERT_FALSE(ten->error);
  EXPECT_EQ(ten->head.content_length, 10u);  // never octal
  auto zeros = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 00\r\n\r\n");
  ASSERT_FALSE(zeros->error);
  EXPECT_EQ(zeros->head.content_length, 0u);
}

TEST(RequestParser, FieldNamesMustBeTokens) {
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n"), 400);
}

TEST(RequestParser, ControlBytesInValuesAre400) {
  EXPECT_EQ(status_of(std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35)), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fz\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n"), 0);  // HTAB is allowed
}

TEST(RequestParser, HostRules) {
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a:port\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a,b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"), 0);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n"), 0);
  EXPECT_EQ(status_of("GET / HTTP/1.0\r\n\r\n"), 0);  // HTTP/1.0 needs no Host
}

TEST(RequestParser, MethodsAndTargets) {
  EXPECT_EQ(status_of("G(T / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(status_of("BREW / HTTP/1.1\r\nHost: a\r\n\r\n"), 501);  // a token llhttp does not know
  EXPECT_EQ(status_of("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n"), 501);
  EXPECT_EQ(status_of("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(status_of("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  EXPECT_EQ(status_of("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n"), 400);  // raw UTF-8: llhttp lets it in
  EXPECT_EQ(status_of("GET /\xc0\xaf HTTP/1.1\r\nHost: a\r\n\r\n"), 400);     // overlong UTF-8
  EXPECT_EQ(status_of("GET /caf%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  auto absolute = parse("GET http://example.com/x/y?q HTTP/1.1\r\nHost: example.com\r\n\r\n");
  ASSERT_FALSE(absolute->error);
  EXPECT_EQ(absolute->head.raw_path, "/x/y");
  EXPECT_EQ(absolute->head.query_string, "q");
}

TEST(RequestParser, ConnectionAndExpect) {
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")->head.keep_alive);
  EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n")->head.keep_alive);
  EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")->head.keep_alive);
  EXPECT_TRUE(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-Continue\r\n\r\n")->head.expect_continue);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n"), 417);
}

TEST(RequestParser, ReusesItselfAcrossRequests) {
  limits l;
  request_parser parser(l);
  request_head head;
  std::string first = "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
  std::string second = "GET /two HTTP/1.1\r\nHost: b\r\n\r\n";
  ASSERT_FALSE(parser.parse(first.data(), first.size(), head));
  ASSERT_FALSE(parser.parse(second.data(), second.size(), head));
  EXPECT_EQ(head.raw_path, "/two");
  EXPECT_EQ(head.framing, body_framing::none);
  EXPECT_EQ(head.headers.size(), 1u);
}

}  // namespace
}  // namespace cogi::http
