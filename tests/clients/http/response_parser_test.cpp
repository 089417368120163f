// fetch::response_parser: responses framed every way HTTP/1.1 allows, fed whole and
// byte by byte, and the malformed and oversized ones refused.

#include "cogi/clients/http/response_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cogi/clients/http/errors.hpp"

namespace fetch = cogi::fetch;

namespace {

struct parsed {
  fetch::response_head head;
  std::string body;
  std::size_t consumed = 0;
  bool complete = false;
  bool keep_alive = false;
};

// Feeds `bytes` in pieces of `step` (0: all at once); `eof` ends the connection after.
parsed parse(std::string_view bytes, std::size_t step = 0, bool eof = false, bool head_request = false,
             fetch::parse_limits limits = {}) {
  fetch::response_parser parser(limits);
  parser.start(head_request);
  parsed out;
  if (step == 0) step = bytes.size();
  while (out.consumed < bytes.size() && !parser.complete()) {
    const auto piece = bytes.substr(out.consumed, std::min(step, bytes.size() - out.consumed));
    out.consumed += parser.feed(piece, out.body);
  }
  if (eof) parser.finish();
  out.head = parser.head();
  out.complete = parser.complete();
  out.keep_alive = out.complete && parser.keep_alive();
  return out;
}

}  // namespace

TEST(FetchResponseParser, ContentLengthBodyInEveryPieceSize) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
  for (std::size_t step = 1; step <= response.size(); ++step) {
    const auto p = parse(response, step);
    ASSERT_TRUE(p.complete) << step;
    EXPECT_EQ(p.head.status, 200);
    EXPECT_EQ(p.head.reason, "OK");
    EXPECT_EQ(p.head.find("content-type"), "text/plain");
    EXPECT_EQ(p.body, "hello world");
    EXPECT_TRUE(p.keep_alive);
    EXPECT_EQ(p.consumed, response.size());
  }
}

TEST(FetchResponseParser, ChunkedBodyInEveryPieceSize) {
  const std::string response =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\n";
  for (std::size_t step = 1; step <= response.size(); ++step) {
    const auto p = parse(response, step);
    ASSERT_TRUE(p.complete) << step;
    EXPECT_EQ(p.body, "hello world") << step;
  }
}

TEST(FetchResponseParser, ABodyWithoutLengthEndsWithTheConnection) {
  const std::string response = "HTTP/1.1 200 OK\r\n\r\nall of this";
  const auto p = parse(response, 0, /*eof=*/true);
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.body, "all of this");
  EXPECT_FALSE(p.keep_alive);
}

TEST(FetchResponseParser, NoBodyForHead204And304) {
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 0, false, /*head_request=*/true).body, "");
  EXPECT_TRUE(parse("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 0, false, true).complete);
  EXPECT_TRUE(parse("HTTP/1.1 204 No Content\r\n\r\n").complete);
  EXPECT_TRUE(parse("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n").complete);
}

TEST(FetchResponseParser, SkipsInterimResponses) {
  const std::string response =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  for (std::size_t step : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    const auto p = parse(response, step);
    ASSERT_TRUE(p.complete);
    EXPECT_EQ(p.head.status, 201);
    EXPECT_FALSE(p.head.find("Link").has_value());  // the 103's fields are not the response's
    EXPECT_EQ(p.body, "ok");
  }
}

TEST(FetchResponseParser, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_TRUE(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keep_alive);
}

TEST(FetchResponseParser, StopsAtTheMessagesEnd) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";
  const auto p = parse(response);
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.consumed, response.find("okHTTP") + 2);
}

TEST(FetchResponseParser, JoinsRepeatedFields) {
  const auto p = parse("HTTP/1.1 200 OK\r\nVary: a\r\nvary: b\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(p.head.joined("Vary"), "a, b");
  EXPECT_EQ(p.head.headers.size(), 3u);
  EXPECT_EQ(p.head.headers[1].name, "vary");  // as sent
}

TEST(FetchResponseParser, RefusesMalformedResponses) {
  const char* malformed[] = {
      "HTTP/1.1 abc OK\r\n\r\n",
      "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n",
      "HTTX/1.1 200 OK\r\n\r\n",
      "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nName : x\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n",
  };
  for (const char* response : malformed) {
    EXPECT_THROW(parse(response), fetch::malformed_response) << response;
    EXPECT_THROW(parse(response, 1), fetch::malformed_response) << "byte by byte: " << response;
  }
}

TEST(FetchResponseParser, EnforcesItsLimits) {
  fetch::parse_limits small;
  small.max_head_size = 200;
  small.max_header_count = 4;
  small.max_body_size = 10;
  const std::string long_value(300, 'x');
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nX: " + long_value + "\r\n\r\n", 0, false, false, small),
               fetch::response_too_large);
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 0, false, false, small),
               fetch::response_too_large);
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", 0, false, false, small),
               fetch::response_too_large);
  EXPECT_NO_THROW(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhelloworld", 0, false, false, small));
  // Fed a byte at a time, the oversized head fails as early.
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nX: " + long_value + "\r\n\r\n", 1, false, false, small),
               fetch::response_too_large);
}

TEST(FetchResponseParser, ACutOffResponseIsAConnectionError) {
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nContent-Le", 0, /*eof=*/true), fetch::connection_error);
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 0, true), fetch::connection_error);
  EXPECT_THROW(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", 0, true),
               fetch::connection_error);
  EXPECT_THROW(parse("", 0, true), fetch::connection_error);
}
