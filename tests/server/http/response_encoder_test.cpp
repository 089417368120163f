#include "cogi/server/http/response_encoder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cogi/server/contract/errors.hpp"

namespace cogi::http {
namespace {

// Encodes a whole response given as body pieces and returns the bytes on the wire.
std::string encode(response_encoder::request_info info, int status, std::vector<header_field> headers,
                   std::vector<std::pair<std::string, bool>> pieces, response_encoder* keep = nullptr) {
  response_encoder local;
  response_encoder& encoder = keep ? *keep : local;
  encoder.reset(info);
  std::string out;
  encoder.start(status, headers);
  for (const auto& [data, more] : pieces) {
    const auto piece = encoder.body(out, data, more);
    out.append(piece.data).append(piece.suffix);
  }
  return out;
}

std::string without_date(std::string text) {
  const auto at = text.find("date: ");
  if (at != std::string::npos) text.erase(at, text.find("\r\n", at) + 2 - at);
  return text;
}

TEST(ResponseEncoder, SingleBodyGetsAContentLength) {
  const auto out = encode({}, 200, {{"content-type", "text/plain"}}, {{"hi", false}});
  EXPECT_EQ(without_date(out),
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: cogi\r\ncontent-length: 2\r\n\r\nhi");
  EXPECT_NE(out.find("date: "), std::string::npos);
}

TEST(ResponseEncoder, SeveralBodiesAreChunked) {
  const auto out = encode({}, 200, {}, {{"ab", true}, {"", true}, {"cde", true}, {"", false}});
  EXPECT_EQ(without_date(out), "HTTP/1.1 200 OK\r\nserver: cogi\r\ntransfer-encoding: chunked\r\n\r\n"
                               "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
}

TEST(ResponseEncoder, TheLastChunkCanCarryData) {
  const auto out = encode({}, 200, {}, {{"ab", true}, {"c", false}});
  EXPECT_TRUE(out.ends_with("2\r\nab\r\n1\r\nc\r\n0\r\n\r\n")) << out;
}

TEST(ResponseEncoder, AppContentLengthIsKeptAndEnforced) {
  const auto out = encode({}, 200, {{"Content-Length", "4"}}, {{"ab", true}, {"cd", false}});
  EXPECT_TRUE(out.ends_with("Content-Length: 4\r\ndate: " + out.substr(out.find("date: ") + 6, 29) + "\r\nserver: cogi\r\n\r\nabcd"))
      << out;
  EXPECT_THROW(encode({}, 200, {{"content-length", "1"}}, {{"ab", false}}), protocol_error);
  response_encoder short_body;
  encode({}, 200, {{"content-length", "10"}}, {{"ab", false}}, &short_body);
  EXPECT_FALSE(short_body.keep_alive());  // the framing is broken: the connection must close
}

TEST(ResponseEncoder, HeadAndNoBodyStatusesSendNoBody) {
  const auto head = encode({.head_request = true}, 200, {}, {{"hello", false}});
  EXPECT_TRUE(head.ends_with("content-length: 5\r\n\r\n")) << head;
  const auto no_content = encode({}, 204, {}, {{"", false}});
  EXPECT_TRUE(no_content.ends_with("server: cogi\r\n\r\n")) << no_content;
  EXPECT_EQ(no_content.find("content-length"), std::string::npos);
  const auto head_stream = encode({.head_request = true}, 200, {}, {{"a", true}, {"", false}});
  EXPECT_EQ(head_stream.find("transfer-encoding"), std::string::npos);
  EXPECT_TRUE(head_stream.ends_with("\r\n\r\n"));
}

// Issue 12, RFC 9110 §8.6: a HEAD response never states a length GET would not send.
TEST(ResponseEncoder, HeadStatesNoLengthItCannotKnow) {
  // The app skipped the body (a streamed response's HEAD): no content-length: 0.
  const auto skipped = encode({.head_request = true}, 200, {}, {{"", false}});
  EXPECT_EQ(skipped.find("content-length"), std::string::npos) << skipped;
  const auto streamed = encode({.head_request = true}, 200, {}, {{"a", true}, {"b", false}});
  EXPECT_EQ(streamed.find("content-length"), std::string::npos) << streamed;
  // The app's own length is kept: it is the one GET sends.
  const auto declared = encode({.head_request = true}, 200, {{"content-length", "24"}}, {{"", false}});
  EXPECT_NE(declared.find("content-length: 24\r\n"), std::string::npos) << declared;
  // HTTP/1.0: no body follows a HEAD response, so nothing forces the connection to close.
  response_encoder encoder;
  encode({.version_minor = 0, .head_request = true}, 200, {}, {{"a", true}, {"", false}}, &encoder);
  EXPECT_TRUE(encoder.keep_alive());
}

TEST(ResponseEncoder, Http10StreamingIsCloseDelimited) {
  response_encoder encoder;
  const auto out = encode({.version_minor = 0}, 200, {}, {{"a", true}, {"b", false}}, &encoder);
  EXPECT_NE(out.find("connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\nab"));
  EXPECT_FALSE(encoder.keep_alive());
}

TEST(ResponseEncoder, ConnectionHeaderReflectsTheDecision) {
  EXPECT_NE(encode({.keep_alive = false}, 200, {}, {{"", false}}).find("connection: close"), std::string::npos);
  EXPECT_NE(encode({.version_minor = 0}, 200, {}, {{"", false}}).find("connection: keep-alive"), std::string::npos);
  response_encoder encoder;
  const auto out = encode({}, 200, {{"Connection", "close"}}, {{"", false}}, &encoder);
  EXPECT_FALSE(encoder.keep_alive());
  EXPECT_NE(out.find("connection: close"), std::string::npos);
  EXPECT_EQ(out.find("Connection: close"), std::string::npos);  // written once, by the server
}

TEST(ResponseEncoder, MisuseAndHeaderInjectionThrow) {
  EXPECT_THROW(encode({}, 200, {{"x", "a\r\nInjected: yes"}}, {}), protocol_error);
  EXPECT_THROW(encode({}, 200, {{"bad name", "v"}}, {}), protocol_error);
  EXPECT_THROW(encode({}, 200, {{"transfer-encoding", "chunked"}}, {}), protocol_error);
  EXPECT_THROW(encode({}, 99, {}, {}), protocol_error);
  response_encoder encoder;
  std::string out;
  encoder.reset({});
  EXPECT_THROW(encoder.body(out, "x", false), protocol_error);  // body before start
  encoder.start(200, {});
  EXPECT_THROW(encoder.start(200, {}), protocol_error);
  encoder.body(out, "x", false);
  EXPECT_THROW(encoder.body(out, "y", false), protocol_error);  // after the final body
}

// The head waits for the first body event: a response abandoned before it sent nothing.
TEST(ResponseEncoder, NothingIsWrittenBeforeTheFirstBody) {
  response_encoder encoder;
  encoder.reset({});
  std::string out = "earlier response";
  encoder.start(200, std::vector<header_field>{{"x-a", "1"}});
  EXPECT_EQ(out, "earlier response");
  encoder.abandon();
  EXPECT_FALSE(encoder.started());
  encoder.start(500, {});
  encoder.body(out, "", false);
  EXPECT_TRUE(out.starts_with("earlier responseHTTP/1.1 500 Internal Server Error\r\n")) << out;
  EXPECT_EQ(out.find("x-a"), std::string::npos);
}

TEST(ResponseEncoder, AppDateAndServerReplaceTheDefaults) {
  const auto out = encode({}, 200, {{"server", "mine"}, {"date", "yesterday"}}, {{"", false}});
  EXPECT_EQ(out.find("server: cogi"), std::string::npos);
  EXPECT_EQ(out.find("date: ", out.find("date: yesterday") + 1), std::string::npos);
}

TEST(ResponseEncoder, ErrorResponsesAreCompleteAndClose) {
  std::string out;
  append_error_response(out, 400, "Bad thing\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_NE(out.find("content-length: 10\r\n"), std::string::npos);
  EXPECT_NE(out.find("connection: close\r\n"), std::string::npos);
  EXPECT_NE(out.find("date: "), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\nBad thing\n"));
}

}  // namespace
}  // namespace cogi::http
