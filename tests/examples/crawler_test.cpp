// The crawler example (examples/crawler/): links found in pages nginx serves and in the
// demo's page, concurrently and within its limit, against local servers only.

#include "examples/crawler/crawler.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <asio/io_context.hpp>

#include "examples/crawler/links.hpp"
#include "examples/demo/demo_app.hpp"
#include "tests/support/nginx_process.hpp"
#include "tests/support/run_until_done.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

TEST(CrawlerLinks, FindsResolvesAndDeduplicatesHrefs) {
  const auto page = fetch::url::parse("http://site.test/dir/page.html");
  const std::string html =
      "<html><head><link rel=stylesheet HREF='../style.css'></head><body>\n"
      "<a href=\"b.html#part\">b</a> <a href=b.html>again</a> <a class=x href = \"/top?x=1&amp;y=2\">top</a>\n"
      "<!-- <a href=\"hidden.html\">commented out</a> -->\n"
      "<a href=\"mailto:someone@site.test\">mail</a> <a href=\"https://other.test/\">other</a>\n"
      "<p>the word href=\"not-a-link\" in text</p><base href=\"http://cdn.test/assets/\"><a href=\"x.png\">x</a>";
  const std::vector<std::string> expected = {"http://site.test/style.css", "http://site.test/dir/b.html",
                                             "http://site.test/top?x=1&y=2", "https://other.test/",
                                             "http://cdn.test/assets/x.png"};
  EXPECT_EQ(examples::extract_links(html, page), expected);
}

TEST(Crawler, CrawlsLocalPagesConcurrentlyAndReportsFailures) {
  const auto root = std::filesystem::temp_directory_path() / ("cogi-crawl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root);
  for (int i = 0; i < 20; ++i) {
    std::ofstream(root / ("p" + std::to_string(i) + ".html"))
        << "<html><body><a href=\"p" << (i + 1) % 20 << ".html\">next</a> <a href=\"/index.html#top\">home</a></body></html>";
  }
  std::ofstream(root / "data.json") << "{}";
  nginx_process nginx(root);
  running_server demo(examples::demo_app());

  std::vector<std::string> urls;
  for (int i = 0; i < 20; ++i) urls.push_back(nginx.base_url() + "/p" + std::to_string(i) + ".html");
  urls.push_back(nginx.base_url() + "/missing.html");                        // 404
  urls.push_back(nginx.base_url() + "/data.json");                           // not HTML
  urls.push_back("http://127.0.0.1:" + std::to_string(demo.port()) + "/");  // redirected to the demo's page

  asio::io_context io;
  cogi::http_client client;
  std::ostringstream out;
  const auto report = run_until_done(io, examples::crawl(client, urls, {.concurrency = 4}, out));
  std::filesystem::remove_all(root);

  EXPECT_EQ(report.pages, 21u);
  ASSERT_EQ(report.failures.size(), 2u);
  const auto lines = lines_of(out.str());
  for (int i = 0; i < 20; ++i) {
    const std::string page = nginx.base_url() + "/p" + std::to_string(i) + ".html";
    EXPECT_TRUE(lines.count(page + "\t" + nginx.base_url() + "/p" + std::to_string((i + 1) % 20) + ".html")) << i;
    EXPECT_TRUE(lines.count(page + "\t" + nginx.base_url() + "/index.html")) << i;
  }
  const std::string demo_home = "http://127.0.0.1:" + std::to_string(demo.port()) + "/";
  EXPECT_TRUE(lines.count(demo_home + "\thttp://127.0.0.1:" + std::to_string(demo.port()) + "/static/style.css"));
  EXPECT_EQ(report.links, lines.size());
  EXPECT_EQ(report.most_at_once, 4u) << "four at a time, as asked";
}

}  // namespace
}  // namespace cogi::testing
