// The usage shown in server/async/'s header comments, compiled and run as written
// (tests/docs/check_snippets.py checks that every snippet line appears in such a test).
// Around each snippet: the definitions it assumes (fetch_user, read_file, ...).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/command.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/lock.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/run_blocking.hpp"
#include "cogi/server/async/run_coroutine_threadsafe.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/subprocess.hpp"
#include "cogi/server/async/task.hpp"
#include "cogi/server/async/task_group.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/async/with_companion.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/backoff.hpp"
#include "cogi/server/async/per_loop.hpp"

namespace async_snippets {

namespace async = cogi::async;
using namespace std::chrono_literals;

struct user {
  int id = 0;
  std::string name;
};
struct order {
  int id = 0;
};
struct page {
  std::string url;
};

asio::awaitable<user> fetch_user(int id) {
  co_await async::sleep_for(1ms);
  co_return user{id, "Ada"};
}
asio::awaitable<std::vector<order>> fetch_orders(int id) {
  co_await async::sleep_for(2ms);
  co_return std::vector<order>{{id * 10}, {id * 10 + 1}};
}
asio::awaitable<page> fetch_page(std::string url) {
  co_await async::sleep_for(1ms);
  co_return page{std::move(url)};
}
asio::awaitable<std::string> fetch(std::string what) {
  co_await async::sleep_for(1ms);
  co_return "got " + what;
}

// server/async/run.hpp
asio::awaitable<int> main_coroutine() {
  co_await async::sleep_for(1ms);
  co_return 0;
}
#define main run_hpp_main
int main() { return cogi::async::run(main_coroutine()); }
#undef main

TEST(AsyncSnippets, Run) { EXPECT_EQ(run_hpp_main(), 0); }

// server/async/wait_for.hpp, task.hpp, gather.hpp
TEST(AsyncSnippets, WaitForSpawnGather) {
  async::run([]() -> asio::awaitable<void> {
    const int id = 7;
    {
      auto user = co_await async::wait_for(fetch_user(id), 200ms);
      EXPECT_EQ(user.id, 7);
    }
    {
      auto fetch = async::spawn(co_await asio::this_coro::executor, fetch_user(id));
      // ...                                  // runs concurrently from here
      const user u = co_await fetch.result();
      EXPECT_EQ(u.name, "Ada");
    }
    {
      auto [user, orders] = co_await async::gather(fetch_user(id), fetch_orders(id));
      EXPECT_EQ(user.id, 7);
      EXPECT_EQ(orders.size(), 2u);
      std::vector<asio::awaitable<page>> fetches;
      fetches.push_back(fetch_page("/a"));
      fetches.push_back(fetch_page("/b"));
      std::vector<page> pages = co_await async::gather(std::move(fetches));  // a range
      EXPECT_EQ(pages[1].url, "/b");
    }
  }());
}

// server/async/task_group.hpp
void use(std::string a, std::string b) {
  EXPECT_EQ(a, "got a");
  EXPECT_EQ(b, "got b");
}

TEST(AsyncSnippets, TaskGroup) {
  async::run([]() -> asio::awaitable<void> {
    async::task_group group(co_await asio::this_coro::executor);
    auto a = group.spawn(fetch("a"));
    auto b = group.spawn(fetch("b"));
    co_await group.wait();                 // both done, or the first error
    use(a.take(), b.take());
  }());
}

// server/async/lock.hpp
TEST(AsyncSnippets, Lock) {
  async::run([]() -> asio::awaitable<void> {
    async::lock mutex;
    {
      auto held = co_await mutex.acquire();
      // ...                                   // exclusive on this loop
      EXPECT_TRUE(mutex.locked());
      // released when `held` goes out of scope (or held.unlock())
    }
    EXPECT_FALSE(mutex.locked());
  }());
}

// server/async/run_blocking.hpp
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(AsyncSnippets, RunBlocking) {
  const std::string written = (std::filesystem::temp_directory_path() / "cogi-snippet.txt").string();
  std::ofstream(written) << "written";
  async::run([](std::string file) -> asio::awaitable<void> {
    const std::string& path = file;
    const std::string text = co_await async::run_blocking(read_file, path);
    const std::size_t size = co_await async::run_blocking([](const std::string& t) { return t.size(); }, text);
    EXPECT_EQ(text, "written");
    EXPECT_EQ(size, 7u);
  }(written));
  std::filesystem::remove(written);
}

// server/async/run_coroutine_threadsafe.hpp
asio::awaitable<int> count_users() {
  co_await async::sleep_for(1ms);
  co_return 3;
}

TEST(AsyncSnippets, RunCoroutineThreadsafe) {
  asio::io_context loop(1);
  auto work = asio::make_work_guard(loop);
  std::thread runner([&loop] { loop.run(); });
  std::future<int> count = async::run_coroutine_threadsafe(loop.get_executor(), count_users());
  int n = count.get();          // blocks this thread, not the loop
  EXPECT_EQ(n, 3);
  work.reset();
  runner.join();
}

// server/async/with_companion.hpp
asio::awaitable<void> report_progress() {
  for (;;) co_await async::sleep_for(1ms);  // ends only when cancelled
}
asio::awaitable<void> stream_events() {
  co_await async::sleep_for(std::chrono::hours(1));  // a stream without end
}

TEST(AsyncSnippets, WithCompanion) {
  async::run([]() -> asio::awaitable<void> {
    auto body = co_await async::with_companion(fetch("/big"), report_progress());  // until the fetch ends
    EXPECT_EQ(body, "got /big");
    async::event shutdown;
    auto ex = co_await asio::this_coro::executor;
    auto stopper = async::spawn(ex, [](async::event& e) -> asio::awaitable<void> {
      co_await async::sleep_for(5ms);
      e.set();
    }(shutdown));
    try {
      co_await async::with_companion(stream_events(), shutdown.wait());             // or the shutdown comes
      ADD_FAILURE() << "the endless stream ended by itself";
    } catch (const std::system_error& error) {
      EXPECT_TRUE(async::is_cancellation(error));  // stopped by its companion
    }
    co_await stopper.result();
  }());
}

// server/async/subprocess.hpp and command.hpp
TEST(AsyncSnippets, Subprocesses) {
  const std::string temporary = std::filesystem::temp_directory_path().string();
  async::run([](std::string directory) -> asio::awaitable<void> {
    const std::string& dir = directory;
    auto ex = co_await asio::this_coro::executor;
    {
      auto child = async::subprocess::start(ex, async::command("ls", "-l", "/tmp"));
      auto result = co_await child.communicate();  // stdout, stderr, exit status
      EXPECT_TRUE(result.status.success());
    }
    {
      // No Makefile there: make runs, and says so.
      auto built = co_await async::run_process(ex, async::command("make").cwd(dir), 10min);
      EXPECT_FALSE(built.status.success());
      EXPECT_NE(built.err.find("No targets"), std::string::npos) << built.err;
    }
    {
      auto result = co_await async::run_process(ex, async::command("make", "-j4").cwd(dir));
      auto listing = co_await async::run_process(ex, async::command("ls", "-l", "/tmp"), 10s);
      EXPECT_EQ(result.status.code, 2);
      EXPECT_TRUE(listing.status.success());
    }
  }(temporary));
}

// server/async/backoff.hpp
TEST(AsyncSnippets, Backoff) {
  int attempts = 0;
  const auto try_connect = [&attempts]() -> asio::awaitable<bool> { co_return ++attempts == 3; };
  const auto started = std::chrono::steady_clock::now();
  async::run([&]() -> asio::awaitable<void> {
    async::backoff retry(50ms, 1s);
    while (!co_await try_connect()) co_await async::sleep_for(retry.next());
    EXPECT_EQ(retry.failures(), 2);
    retry.success();
    EXPECT_EQ(retry.failures(), 0);
  }());
  // Two waits: 50 ms and 100 ms, each shortened by at most a fifth.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 120ms);
}

// server/async/per_loop.hpp
struct pool {
  explicit pool(std::string name) : settings(std::move(name)) {}
  std::string settings;
};

TEST(AsyncSnippets, PerLoop) {
  asio::io_context loop;
  asio::io_context other_loop;
  const std::string settings = "db";
  async::per_loop<pool> pools;
  pool& mine = pools.emplace(loop, settings);   // on the loop, at startup
  pool* found = pools.find(loop);               // on the loop, per request: no lock
  EXPECT_EQ(found, &mine);
  EXPECT_EQ(pools.find(other_loop), nullptr);
  EXPECT_THROW(pools.emplace(loop, settings), std::logic_error);
  std::unique_ptr<pool> gone = pools.erase(loop);
  EXPECT_EQ(gone.get(), &mine);
  EXPECT_EQ(pools.find(loop), nullptr) << "forgotten by this thread's cache too";
}

}  // namespace async_snippets
