#include "cogi/server/http/body_reader.hpp"

#include <gtest/gtest.h>

namespace cogi::http {
namespace {

request_head head_with(body_framing framing, std::uint64_t length = 0) {
  request_head head;
  head.framing = framing;
  head.content_length = length;
  return head;
}

TEST(BodyReader, ContentLengthStopsAtTheEndOfTheBody) {
  body_reader reader;
  reader.reset(head_with(body_framing::content_length, 5), 0, 1024);
  auto first = reader.next("hel");
  EXPECT_EQ(first.data, "hel");
  EXPECT_FALSE(reader.done());
  auto second = reader.next("loGET / HTTP/1.1");
  EXPECT_EQ(second.data, "lo");
  EXPECT_EQ(second.consumed, 2u);
  EXPECT_TRUE(reader.done());
}

TEST(BodyReader, NoBodyIsDoneAtOnce) {
  body_reader reader;
  reader.reset(head_with(body_framing::none), 0, 1024);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.next("GET").state, body_reader::status::done);
}

TEST(BodyReader, ChunkedBodyOverTheLimitIs413WhileStreaming) {
  body_reader reader;
  reader.reset(head_with(body_framing::chunked), 4, 1024);
  std::string_view input = "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
  std::string body;
  body_reader::result result;
  do {
    result = reader.next(input);
    input.remove_prefix(result.consumed);
    body.append(result.data);
  } while (result.state == body_reader::status::data);
  EXPECT_EQ(result.state, body_reader::status::rejected);
  EXPECT_EQ(reader.error().status, 413);
  EXPECT_EQ(body, "abc");  // the piece that crossed the limit is not handed out
}

}  // namespace
}  // namespace cogi::http
