#include "cogi/server/http/chunked_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cogi::http {
namespace {

struct decoded {
  std::string body;
  chunked_decoder::status last = chunked_decoder::status::need_more;
  std::size_t consumed = 0;
  int error_status = 0;
};

// Feeds `input` in pieces of `step` bytes (0: all at once), as a socket would.
decoded decode(std::string_view input, std::size_t step = 0) {
  chunked_decoder decoder;
  decoded out;
  std::size_t available_end = step == 0 ? input.size() : std::min(step, input.size());
  while (true) {
    const auto result = decoder.decode(input.substr(out.consumed, available_end - out.consumed));
    out.consumed += result.consumed;
    out.last = result.state;
    if (result.state == chunked_decoder::status::data) {
      out.body.append(result.data);
      continue;
    }
    if (result.state == chunked_decoder::status::need_more && available_end < input.size()) {
      available_end = std::min(input.size(), available_end + (step == 0 ? input.size() : step));
      continue;
    }
    break;
  }
  if (out.last == chunked_decoder::status::rejected) out.error_status = decoder.error().status;
  return out;
}

TEST(ChunkedDecoder, DecodesChunksExtensionsAndTrailers) {
  const std::string input = "3\r\nabc\r\n10;flag;name=value\r\n0123456789abcdef\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT";
  const auto out = decode(input);
  EXPECT_EQ(out.last, chunked_decoder::status::done);
  EXPECT_EQ(out.body, "abc0123456789abcdef");
  EXPECT_EQ(input.substr(out.consumed), "NEXT");  // stops exactly at the end of the body
}

TEST(ChunkedDecoder, GivesTheSameResultForEverySplit) {
  const std::string input = "5\r\nhello\r\n1;x=\"a b\"\r\n!\r\n0\r\nT: v\r\n\r\n";
  for (std::size_t step = 1; step <= input.size(); ++step) {
    const auto out = decode(input, step);
    EXPECT_EQ(out.last, chunked_decoder::status::done) << step;
    EXPECT_EQ(out.body, "hello!") << step;
    EXPECT_EQ(out.consumed, input.size()) << step;
  }
}

TEST(ChunkedDecoder, RejectsMalformedFraming) {
  const char* bad[] = {
      "3\r\nabcXX0\r\n\r\n",           // no CRLF after the data (llhttp 8.1 accepts this)
      "3\r\nabc\n0\r\n\r\n",           // LF only after the data
      "3\nabc\r\n0\r\n\r\n",           // LF only after the size
      "x\r\n",                         // not hex
      "\r\n",                          // empty size
      "3 \r\nabc\r\n0\r\n\r\n",        // whitespace without an extension
      "-3\r\n",                        // sign
      "0x3\r\n",                       // prefix
      "11111111111111111\r\n",         // 17 hex digits: overflows 64 bits
      "3;\x01\r\nabc\r\n0\r\n\r\n",    // control byte in an extension
      "3;\r\nabc\r\n0\r\n\r\n",        // bare semicolon: no extension name
      "3;=v\r\nabc\r\n0\r\n\r\n",      // value without a name
      "3;a=\r\nabc\r\n0\r\n\r\n",      // name= without a value
      "3;a=\"open\r\nabc\r\n0\r\n\r\n", // unterminated quoted value
      "3;a=b c\r\nabc\r\n0\r\n\r\n",   // two tokens in one value
      "3;a\rb\r\nabc\r\n0\r\n\r\n",    // bare CR in an extension
      // Found by the differential fuzzer: what RFC 9112 allows but llhttp 8.1 reads
      // otherwise (tests/fuzz/corpus/llhttp_differential/regression-chunk-ext-bws)
      "3 ;a\r\nabc\r\n0\r\n\r\n",       // whitespace before the extension
      "3; a\r\nabc\r\n0\r\n\r\n",       // and after the semicolon
      "3;a = b\r\nabc\r\n0\r\n\r\n",    // around '='
      "3;a=b \r\nabc\r\n0\r\n\r\n",     // after a value
      "3;a=\"x\\\"y\"\r\nabc\r\n0\r\n\r\n", // a quoted-pair escape
      "3;a=b;c\r\nabc\r\n0\r\n\r\n",    // an extension after a token value
      "0\r\n folded: x\r\n\r\n",       // obs-fold in trailers
      "0\r\nbad name: x\r\n\r\n",      // non-token trailer name
      "0\r\nX: a\x01\r\n\r\n",         // control byte in trailer value
      "0\r\n\r\r",                     // bad final line
  };
  for (const char* input : bad) {
    const auto out = decode(input);
    EXPECT_EQ(out.last, chunked_decoder::status::rejected) << input;
    EXPECT_EQ(out.error_status, 400) << input;
  }
}

// Found by the differential fuzzer (tests/fuzz/corpus/llhttp_differential/
// regression-framing-trailer): a trailer may not frame or route the message (RFC 9110
// §6.5.1), and llhttp refuses a Transfer-Encoding there; at every split, in any case.
TEST(ChunkedDecoder, RejectsFramingAndRoutingTrailers) {
  for (const char* name : {"Transfer-Encoding", "content-length", "HOST"}) {
    const std::string input = std::string("1\r\nx\r\n0\r\n") + name + ": 5\r\n\r\n";
    for (std::size_t step = 1; step <= input.size(); ++step) {
      const auto out = decode(input, step);
      EXPECT_EQ(out.last, chunked_decoder::status::rejected) << name << " " << step;
      EXPECT_EQ(out.error_status, 400);
    }
  }
  // Other trailers, and names that only begin or end like a forbidden one, are fine.
  for (const char* name : {"X-Checksum", "content-length-2", "transfer-encodings", "hos", "x-host"})
    EXPECT_EQ(decode(std::string("0\r\n") + name + ": 1\r\n\r\n").last, chunked_decoder::status::done) << name;
}

TEST(ChunkedDecoder, AcceptsExtensionsThatFollowTheGrammar) {
  for (const char* line : {"3;a", "3;a=b", "3;a;b=c", "3;a=\"quoted ; text\";b", "3;chunk-signature=ab12", "3;a=\"\""}) {
    const auto out = decode(std::string(line) + "\r\nabc\r\n0\r\n\r\n");
    EXPECT_EQ(out.last, chunked_decoder::status::done) << line;
    EXPECT_EQ(out.body, "abc") << line;
  }
}

TEST(ChunkedDecoder, BoundsExtensionsAndTrailers) {
  EXPECT_EQ(decode("1;" + std::string(5000, 'a') + "\r\n").last, chunked_decoder::status::rejected);
  chunked_decoder small(64);
  const std::string trailers = "0\r\nX: " + std::string(100, 'a') + "\r\n\r\n";
  EXPECT_EQ(small.decode(trailers).state, chunked_decoder::status::rejected);
}

TEST(ChunkedDecoder, AcceptsTheLargestSixteenDigitSize) {
  chunked_decoder decoder;
  const auto result = decoder.decode("ffffffffffffffff\r\nab");
  EXPECT_EQ(result.state, chunked_decoder::status::data);
  EXPECT_EQ(result.data, "ab");
}

}  // namespace
}  // namespace cogi::http
