// Static files under a mount: files, index pages, and every way out of the directory
// (.., hidden files, symbolic links) closed.
#include "cogi/middleware/static_files.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

namespace fs = std::filesystem;

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = ::testing::TempDir() + "cogi_static_" + std::to_string(::getpid());
    root_ = base_ + "/www";
    fs::create_directories(root_ + "/docs");
    std::ofstream(root_ + "/app.js") << "console.log(1)";
    std::ofstream(root_ + "/docs/index.html") << "<h1>docs</h1>";
    std::ofstream(root_ + "/.env") << "SECRET=1";
    std::ofstream(root_ + "/404.html") << "<h1>lost</h1>";
    std::ofstream(base_ + "/outside.txt") << "private";
    fs::create_symlink(base_ + "/outside.txt", root_ + "/escape.txt");
    fs::create_symlink(root_ + "/app.js", root_ + "/alias.js");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string base_, root_;
};

TEST_F(StaticFiles, ServesFilesUnderTheMount) {
  cogi::app app;
  app.mount("/static", cogi::static_files(root_));
  cogi::test_client client(app);
  auto res = client.get("/static/app.js");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "console.log(1)");
  EXPECT_EQ(res.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_FALSE(res.header("etag").empty());
  EXPECT_EQ(client.get("/static/alias.js").body, "console.log(1)");  // a link that stays inside
  EXPECT_EQ(client.get("/static/missing.js").status, 404);
  EXPECT_EQ(client.get("/static/docs").status, 404);  // directories only in html mode
  const auto post = client.post("/static/app.js");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET, HEAD");
}

TEST_F(StaticFiles, NoWayOutOfTheDirectory) {
  cogi::app app;
  app.mount("/static", cogi::static_files(root_));
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/static/../outside.txt").status, 404);
  EXPECT_EQ(client.get("/static/%2e%2e/outside.txt").status, 404);
  EXPECT_EQ(client.get("/static/docs/../../outside.txt").status, 404);
  EXPECT_EQ(client.get("/static/escape.txt").status, 404);  // symlink leading outside
  EXPECT_EQ(client.get("/static/.env").status, 404);
  EXPECT_EQ(client.get("/static/%00app.js").status, 404);
}

TEST_F(StaticFiles, HtmlModeServesIndexAndNotFoundPages) {
  cogi::app app;
  app.mount("/site", cogi::static_files(root_, {.html = true}));
  cogi::test_client client(app);
  auto res = client.get("/site/docs/");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "<h1>docs</h1>");
  EXPECT_EQ(res.header("content-type"), "text/html; charset=utf-8");
  res = client.get("/site/docs?x=1");
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(res.header("location"), "/site/docs/?x=1");
  res = client.get("/site/nothing-here");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "<h1>lost</h1>");
}

TEST_F(StaticFiles, MissingDirectoryIsRejectedAtStartup) {
  EXPECT_THROW(cogi::static_files(base_ + "/nope"), std::invalid_argument);
}

}  // namespace
