// cogi::http_client against nginx (tests/support/nginx_process.hpp): a server cogi did
// not write, with its own ideas of keep-alive, gzip (chunked) and redirects.

#include "cogi/clients/http/client.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/task_group.hpp"
#include "tests/support/nginx_process.hpp"
#include "tests/support/run_until_done.hpp"

namespace cogi::testing {
namespace {


class HttpClientNginx : public ::testing::Test {
 protected:
  static std::filesystem::path make_root() {
    const auto root = std::filesystem::temp_directory_path() / ("cogi-nginx-root-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root);
    std::string big;
    for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + "\n";
    std::ofstream(root / "big.txt") << big;
    std::ofstream(root / "small.txt") << "small";
    return root;
  }
  HttpClientNginx()
      : root_(make_root()),
        nginx_(root_,
               "    location = /connection { default_type text/plain; return 200 \"$connection\"; }\n"
               "    location = /moved { return 301 /small.txt; }\n") {}
  ~HttpClientNginx() override { std::filesystem::remove_all(root_); }

  std::string url(std::string_view path) const { return nginx_.base_url() + std::string(path); }
  std::string big() const {
    std::ifstream in(root_ / "big.txt");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::filesystem::path root_;
  nginx_process nginx_;
  asio::io_context io_;
  cogi::http_client client_;
};

TEST_F(HttpClientNginx, GzipChunkedBodiesDecode) {
  const std::string target = url("/big.txt");
  auto r = run_until_done(io_, client_.get(target));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Encoding"), "gzip");
  EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(run_until_done(io_, r.text()), big());
}

TEST_F(HttpClientNginx, KeepsTheConnectionAlive) {
  const std::string target = url("/connection");
  std::optional<std::string> first;
  for (int i = 0; i < 5; ++i) {
    auto r = run_until_done(io_, client_.get(target));
    const std::string connection = run_until_done(io_, r.text());
    if (!first) first = connection;
    EXPECT_EQ(connection, *first) << "request " << i << " went on another connection";
  }
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 1u);
}

TEST_F(HttpClientNginx, HeadRedirectAndNotFound) {
  const std::string big_url = url("/big.txt");
  auto head = run_until_done(io_, client_.head(big_url));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(run_until_done(io_, head.text()), "");
  const std::string moved = url("/moved");
  auto followed = run_until_done(io_, client_.get(moved));
  EXPECT_EQ(followed.url, url("/small.txt"));
  EXPECT_EQ(run_until_done(io_, followed.text()), "small");
  const std::string missing = url("/missing");
  auto not_found = run_until_done(io_, client_.get(missing));
  EXPECT_EQ(not_found.status, 404);
  EXPECT_FALSE(run_until_done(io_, not_found.text()).empty());  // nginx's page
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 1u) << "one connection served all of them";
}

TEST_F(HttpClientNginx, ManyConcurrentRequests) {
  // 64 requests at once on one loop: each gets its own connection, and all come back.
  const std::string target = url("/small.txt");
  auto all = [&]() -> asio::awaitable<int> {
    std::vector<std::optional<std::string>> bodies(64);
    auto one = [&](std::size_t i) -> asio::awaitable<void> {
      auto r = co_await client_.get(target);
      bodies[i] = co_await r.text();
    };
    async::task_group group(co_await asio::this_coro::executor);
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      auto request = one(i);
      group.spawn(std::move(request));
    }
    co_await group.wait();
    int ok = 0;
    for (const auto& body : bodies) ok += body == "small" ? 1 : 0;
    co_return ok;
  };
  EXPECT_EQ(run_until_done(io_, all()), 64);
  EXPECT_EQ(client_.idle_connections(io_.get_executor()), 32u) << "max_idle_per_origin";
}

}  // namespace
}  // namespace cogi::testing
