// fetch::content_decoder: gzip and deflate bodies decoded as they arrive, within a limit.

#include "cogi/clients/http/content_decoder.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "cogi/clients/http/errors.hpp"

namespace fetch = cogi::fetch;
using coding = fetch::content_decoder::coding;

namespace {

// zlib's deflate with the given window bits: 16+15 gzip, 15 zlib, -15 raw.
std::string compress(std::string_view data, int window_bits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string decode(coding kind, std::string_view encoded, std::size_t step, std::size_t limit = 1 << 30) {
  fetch::content_decoder decoder(kind, limit);
  std::string out;
  for (std::size_t at = 0; at < encoded.size(); at += step) decoder.decode(encoded.substr(at, step), out);
  decoder.finish();
  return out;
}

std::string sample() {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + " of a body that compresses well\n";
  return text;
}

}  // namespace

TEST(FetchContentDecoder, ReadsTheCodingFromTheHeader) {
  EXPECT_EQ(fetch::content_decoder::from_header(" GZip "), coding::gzip);
  EXPECT_EQ(fetch::content_decoder::from_header("x-gzip"), coding::gzip);
  EXPECT_EQ(fetch::content_decoder::from_header("deflate"), coding::deflate);
  EXPECT_EQ(fetch::content_decoder::from_header(""), coding::identity);
  EXPECT_FALSE(fetch::content_decoder::from_header("br").has_value());
  EXPECT_FALSE(fetch::content_decoder::from_header("gzip, br").has_value());
}

TEST(FetchContentDecoder, GzipZlibAndRawDeflateInAnyPieces) {
  const std::string text = sample();
  const std::string gzip = compress(text, 16 + 15);
  const std::string zlib = compress(text, 15);
  const std::string raw = compress(text, -15);
  for (std::size_t step : {std::size_t{1}, std::size_t{3}, std::size_t{4096}, gzip.size()}) {
    EXPECT_EQ(decode(coding::gzip, gzip, step), text) << step;
    EXPECT_EQ(decode(coding::deflate, zlib, step), text) << step;
  }
  EXPECT_EQ(decode(coding::deflate, raw, raw.size()), text);
}

TEST(FetchContentDecoder, ConcatenatedGzipMembersAreOneBody) {
  const std::string both = compress("first, ", 16 + 15) + compress("second", 16 + 15);
  EXPECT_EQ(decode(coding::gzip, both, 5), "first, second");
}

TEST(FetchContentDecoder, CorruptAndTruncatedBodiesAreMalformed) {
  const std::string gzip = compress(sample(), 16 + 15);
  EXPECT_THROW(decode(coding::gzip, gzip.substr(0, gzip.size() / 2), 100), fetch::malformed_response);
  std::string corrupt = gzip;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
  EXPECT_THROW(decode(coding::gzip, corrupt, 100), fetch::malformed_response);
  EXPECT_THROW(decode(coding::gzip, "not gzip at all", 100), fetch::malformed_response);
  EXPECT_THROW(decode(coding::deflate, compress("x", 15) + "junk", 100), fetch::malformed_response);
}

TEST(FetchContentDecoder, StopsAnInflationBombAtTheLimit) {
  const std::string zeros(50 * 1024 * 1024, '\0');
  const std::string bomb = compress(zeros, 16 + 15);
  ASSERT_LT(bomb.size(), 100 * 1024u);
  EXPECT_THROW(decode(coding::gzip, bomb, bomb.size(), 1024 * 1024), fetch::response_too_large);
  EXPECT_EQ(decode(coding::identity, "plain", 2, 5), "plain");
  EXPECT_THROW(decode(coding::identity, "plain!", 2, 5), fetch::response_too_large);
}
