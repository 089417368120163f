#include "cogi/middleware/gzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

std::string gunzip(const std::string& data) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out(1 << 20, '\0');  // far more than any test body
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

const std::string big(5000, 'a');

cogi::app gzip_app() {
  cogi::app app;
  app.get("/big", [](cogi::request&) -> cogi::task<> { co_return cogi::text(big); });
  app.get("/small", [](cogi::request&) -> cogi::task<> { co_return cogi::text("tiny"); });
  app.get("/png", [](cogi::request&) -> cogi::task<> { co_return cogi::bytes(big, "image/png"); });
  app.get("/svg", [](cogi::request&) -> cogi::task<> { co_return cogi::bytes(big, "image/svg+xml"); });
  app.get("/encoded", [](cogi::request&) -> cogi::task<> {
    auto res = cogi::bytes(big, "text/plain");
    res.headers.add("content-encoding", "br");
    co_return res;
  });
  app.get("/stream", [](cogi::request&) -> cogi::task<> {
    co_return cogi::stream([](cogi::body_writer& out) -> asio::awaitable<void> {
      for (int i = 0; i < 3; ++i) {
        const std::string part = "part " + std::to_string(i) + " " + std::string(1000, 'x') + "\n";
        co_await out.write(part);
      }
    });
  });
  app.use(cogi::gzip({.minimum_size = 500}));
  return app;
}

TEST(Gzip, CompressesWhatTheClientAccepts) {
  cogi::test_client client(gzip_app());
  const auto res = client.get("/big", {{"accept-encoding", "br;q=1.0, gzip;q=0.8"}});
  EXPECT_EQ(res.header("content-encoding"), "gzip");
  EXPECT_EQ(res.header("vary"), "Accept-Encoding");
  EXPECT_LT(res.body.size(), 200u);
  EXPECT_EQ(res.header("content-length"), std::to_string(res.body.size()));
  EXPECT_EQ(gunzip(res.body), big);

  const auto plain = client.get("/big");
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_EQ(plain.body, big);
  EXPECT_EQ(client.get("/big", {{"accept-encoding", "gzip;q=0"}}).header("content-encoding"), "");
}

TEST(Gzip, LeavesAloneWhatShouldNotBeCompressed) {
  cogi::test_client client(gzip_app());
  const cogi::header_pairs gz = {{"accept-encoding", "gzip"}};
  auto res = client.get("/small", gz);
  EXPECT_EQ(res.header("content-encoding"), "");
  EXPECT_EQ(res.body, "tiny");
  EXPECT_EQ(res.header("vary"), "Accept-Encoding");
  EXPECT_EQ(client.get("/png", gz).header("content-encoding"), "");
  EXPECT_EQ(client.get("/svg", gz).header("content-encoding"), "gzip");  // text, though an image type
  res = client.get("/encoded", gz);
  EXPECT_EQ(res.header("content-encoding"), "br");
  EXPECT_EQ(res.body, big);
}

TEST(Gzip, StreamsStayStreams) {
  cogi::test_client client(gzip_app());
  const auto res = client.get("/stream", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(res.header("content-encoding"), "gzip");
  EXPECT_EQ(res.header("transfer-encoding"), "chunked");
  EXPECT_EQ(res.chunks.size(), 4u);  // each chunk flushed as it came, then the gzip trailer
  const std::string text = gunzip(res.body);
  EXPECT_TRUE(text.starts_with("part 0 "));
  EXPECT_NE(text.find("part 2 "), std::string::npos);
}

TEST(Gzip, AcceptEncodingParsing) {
  EXPECT_TRUE(cogi::accepts_gzip("gzip"));
  EXPECT_TRUE(cogi::accepts_gzip("deflate, GZIP"));
  EXPECT_TRUE(cogi::accepts_gzip("*"));
  EXPECT_FALSE(cogi::accepts_gzip("gzip;q=0.0"));
  EXPECT_FALSE(cogi::accepts_gzip("br"));
  EXPECT_FALSE(cogi::accepts_gzip(""));
}

// Issue 12: an explicit gzip entry decides over "*" wherever each stands (RFC 9110
// §12.5.3); the list is read to its end, not up to the first match.
TEST(Gzip, ExplicitGzipBeatsTheWildcard) {
  EXPECT_TRUE(cogi::accepts_gzip("*;q=0, gzip"));
  EXPECT_TRUE(cogi::accepts_gzip("*;q=0, gzip;q=0.5"));
  EXPECT_FALSE(cogi::accepts_gzip("*, gzip;q=0"));
  EXPECT_FALSE(cogi::accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(cogi::accepts_gzip("*;q=0"));
  EXPECT_FALSE(cogi::accepts_gzip("*;q=0.000, br"));
  EXPECT_TRUE(cogi::accepts_gzip("br;q=1.0, *;q=0.1"));
  EXPECT_TRUE(cogi::accepts_gzip("x-gzip"));
  EXPECT_TRUE(cogi::accepts_gzip("gzip; Q=0.8"));
  EXPECT_TRUE(cogi::accepts_gzip("gzip;q=0.001"));
}

}  // namespace
