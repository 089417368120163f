// File responses: type by extension, validators and 304, ranges (206/416, If-Range),
// HEAD, downloads, and bodies sent in chunks rather than read whole.
#include "cogi/framework/file_response.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cogi/framework/app.hpp"
#include "cogi/framework/byte_range.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;

class FileResponse : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "cogi_file_response_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    for (int i = 0; i < 1000; ++i) content_ += "line " + std::to_string(i) + "\n";
    std::ofstream(dir_ + "/data.txt") << content_;
    std::ofstream(dir_ + "/empty.bin");
    app_.get("/file/{name}", [this](request& req) { return serve(req); });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  task<> serve(request& req) {
    const std::string name(req.path_params().get("name"));
    cogi::file_options options;
    options.chunk_size = 1000;  // several chunks for a ~7 KB file
    if (req.query().contains("download")) options.download_name = "report \"final\".txt";
    co_return cogi::file(req, dir_ + "/" + name, options);
  }

  std::string dir_, content_;
  cogi::app app_;
};

TEST_F(FileResponse, WholeFileInChunksWithValidators) {
  cogi::test_client client(app_);
  const auto res = client.get("/file/data.txt");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, content_);
  EXPECT_GT(res.chunks.size(), 5u);  // streamed, chunk_size bytes at a time
  EXPECT_EQ(res.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(res.header("content-length"), std::to_string(content_.size()));
  EXPECT_EQ(res.header("accept-ranges"), "bytes");
  EXPECT_FALSE(res.header("etag").empty());
  EXPECT_TRUE(res.header("last-modified").ends_with(" GMT"));
  EXPECT_EQ(res.header("transfer-encoding"), "");  // a known length: never chunked
}

TEST_F(FileResponse, FreshCopyIs304) {
  cogi::test_client client(app_);
  const auto first = client.get("/file/data.txt");
  const std::string etag(first.header("etag"));
  const std::string modified(first.header("last-modified"));

  auto res = client.get("/file/data.txt", {{"if-none-match", etag}});
  EXPECT_EQ(res.status, 304);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.header("etag"), etag);
  EXPECT_EQ(client.get("/file/data.txt", {{"if-none-match", "\"other\", W/" + etag}}).status, 304);
  EXPECT_EQ(client.get("/file/data.txt", {{"if-none-match", "*"}}).status, 304);
  EXPECT_EQ(client.get("/file/data.txt", {{"if-none-match", "\"other\""}}).status, 200);
  EXPECT_EQ(client.get("/file/data.txt", {{"if-modified-since", modified}}).status, 304);
  EXPECT_EQ(client.get("/file/data.txt", {{"if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT"}}).status, 200);
  // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
  EXPECT_EQ(client.get("/file/data.txt", {{"if-none-match", "\"other\""}, {"if-modified-since", modified}}).status, 200);
}

TEST_F(FileResponse, RangesAre206Or416) {
  cogi::test_client client(app_);
  auto res = client.get("/file/data.txt", {{"range", "bytes=0-9"}});
  EXPECT_EQ(res.status, 206);
  EXPECT_EQ(res.body, content_.substr(0, 10));
  EXPECT_EQ(res.header("content-range"), "bytes 0-9/" + std::to_string(content_.size()));
  EXPECT_EQ(res.header("content-length"), "10");

  res = client.get("/file/data.txt", {{"range", "bytes=-5"}});
  EXPECT_EQ(res.status, 206);
  EXPECT_EQ(res.body, content_.substr(content_.size() - 5));

  res = client.get("/file/data.txt", {{"range", "bytes=1500-"}});
  EXPECT_EQ(res.body, content_.substr(1500));

  res = client.get("/file/data.txt", {{"range", "bytes=999999-"}});
  EXPECT_EQ(res.status, 416);
  EXPECT_EQ(res.header("content-range"), "bytes */" + std::to_string(content_.size()));

  EXPECT_EQ(client.get("/file/data.txt", {{"range", "bytes=0-1,5-6"}}).status, 200);  // several: whole file
  EXPECT_EQ(client.get("/file/data.txt", {{"range", "lines=1-2"}}).status, 200);

  // If-Range: the range applies only to the version the client has.
  const std::string etag(client.get("/file/data.txt").header("etag"));
  EXPECT_EQ(client.get("/file/data.txt", {{"range", "bytes=0-9"}, {"if-range", etag}}).status, 206);
  EXPECT_EQ(client.get("/file/data.txt", {{"range", "bytes=0-9"}, {"if-range", "\"stale\""}}).status, 200);
}

TEST_F(FileResponse, HeadEmptyFilesDownloadsAndMisses) {
  cogi::test_client again(app_);
  auto res = again.head("/file/data.txt");  // served by the GET route, without a body
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.header("content-length"), std::to_string(content_.size()));

  res = again.get("/file/empty.bin");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.header("content-type"), "application/octet-stream");

  res = again.get("/file/data.txt?download");
  EXPECT_EQ(res.header("content-disposition"), "attachment; filename=\"report _final_.txt\"");
  EXPECT_EQ(again.get("/file/missing.txt").status, 404);
}

TEST(ByteRange, Parsing) {
  using kind = cogi::byte_range::kind;
  EXPECT_EQ(cogi::parse_byte_range("bytes=0-99", 1000).length(), 100u);
  EXPECT_EQ(cogi::parse_byte_range("bytes=900-2000", 1000).last, 999u);  // clipped
  EXPECT_EQ(cogi::parse_byte_range("bytes=-2000", 1000).first, 0u);
  EXPECT_EQ(cogi::parse_byte_range("bytes=-0", 1000).result, kind::unsatisfiable);
  EXPECT_EQ(cogi::parse_byte_range("bytes=1000-", 1000).result, kind::unsatisfiable);
  EXPECT_EQ(cogi::parse_byte_range("bytes=5-1", 1000).result, kind::whole);  // invalid: ignored
  EXPECT_EQ(cogi::parse_byte_range("bytes=a-b", 1000).result, kind::whole);
  EXPECT_EQ(cogi::parse_byte_range("bytes=0-0", 0).result, kind::unsatisfiable);
}

}  // namespace
