// async::subprocess against real programs (sh, cat, sleep, env, pwd): arguments,
// environment, working directory, pipes both ways, exit codes and signals, timeouts,
// kill, and many children at once without blocking the loop.

#include "cogi/server/async/subprocess.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/command.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/async/run.hpp"

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;
namespace async = cogi::async;

TEST(Subprocess, ReportsOutputAndExitCode) {
  const auto result = async::run([]() -> asio::awaitable<async::process_result> {
    co_return co_await async::run_process(co_await asio::this_coro::executor,
                                          async::command("sh", "-c", "echo out; echo err >&2; exit 3"));
  }());
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_TRUE(result.status.exited());
  EXPECT_EQ(result.status.code, 3);
  EXPECT_FALSE(result.status.success());
}

TEST(Subprocess, PassesArgumentsEnvironmentAndWorkingDirectory) {
  const auto result = async::run([]() -> asio::awaitable<async::process_result> {
    const async::process_options options{
        .argv = {"sh", "-c", "printf '%s|%s|%s' \"$1\" \"$COGI_TEST_VALUE\" \"$(pwd)\"", "sh", "two words"},
        .environment = {{"COGI_TEST_VALUE", "from the parent"}},
        .working_directory = "/tmp"};
    co_return co_await async::run_process(co_await asio::this_coro::executor, options);
  }());
  EXPECT_EQ(result.out, "two words|from the parent|/tmp");
  EXPECT_TRUE(result.status.success());
}

// The same settings as one awaited expression: async::command is safe there on GCC 12,
// where a braced process_options would be destroyed twice.
TEST(Subprocess, CommandBuildsTheSameOptionsInOneExpression) {
  const auto result = async::run([]() -> asio::awaitable<async::process_result> {
    co_return co_await async::run_process(
        co_await asio::this_coro::executor,
        async::command("sh", "-c", "printf '%s|%s|%s|%s' \"$1\" \"$COGI_TEST_VALUE\" \"$(pwd)\" \"${HOME:-none}\"", "sh")
            .arg("two words")
            .env("COGI_TEST_VALUE", "from the parent")
            .clear_environment()
            .cwd("/tmp"));
  }());
  EXPECT_EQ(result.out, "two words|from the parent|/tmp|none");  // nothing inherited
  EXPECT_TRUE(result.status.success());
}

TEST(Subprocess, StdinIsFedWhileBothOutputsAreDrained) {
  // 1 MiB through cat: more than a pipe holds, so writing and reading must overlap.
  const std::string input(1 << 20, 'x');
  const auto result = async::run([](const std::string& data) -> asio::awaitable<async::process_result> {
    co_return co_await async::run_process(co_await asio::this_coro::executor, async::command("cat").with_stdin(),
                                          std::nullopt, data);
  }(input));
  EXPECT_EQ(result.out.size(), input.size());
  EXPECT_EQ(result.out, input);
}

TEST(Subprocess, StartFailureIsAClearError) {
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    const async::process_options missing{.argv = {"cogi-no-such-program"}};
    const async::process_options bad_directory{.argv = {"true"}, .working_directory = "/no/such/dir"};
    EXPECT_THROW(async::subprocess::start(ex, missing), std::system_error);
    EXPECT_THROW(async::subprocess::start(ex, bad_directory), std::system_error);
  }());
}

TEST(Subprocess, TimeoutKillsTheProcess) {
  const auto start = steady_clock::now();
  async::run([]() -> asio::awaitable<void> {
    const async::process_options options{.argv = {"sleep", "30"}};
    EXPECT_THROW(co_await async::run_process(co_await asio::this_coro::executor, options, 100ms), async::timeout_error);
  }());
  EXPECT_LT(steady_clock::now() - start, 5s);
}

TEST(Subprocess, KillEndsItWithTheSignal) {
  async::run([]() -> asio::awaitable<void> {
    const async::process_options options{.argv = {"sleep", "30"}};
    auto child = async::subprocess::start(co_await asio::this_coro::executor, options);
    child.kill(SIGTERM);
    const auto status = co_await child.wait();
    EXPECT_FALSE(status.exited());
    EXPECT_EQ(status.signal, SIGTERM);
  }());
}

TEST(Subprocess, ManyAtOnceRunConcurrently) {
  const auto start = steady_clock::now();
  async::run([]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<asio::awaitable<async::process_result>> runs;
    for (int i = 0; i < 20; ++i) {
      const async::process_options options{.argv = {"sh", "-c", "sleep 0.3; echo $0", std::to_string(i)}};
      runs.push_back(async::run_process(ex, options));
    }
    const auto results = co_await async::gather(std::move(runs));
    for (int i = 0; i < 20; ++i) EXPECT_EQ(results[static_cast<std::size_t>(i)].out, std::to_string(i) + "\n");
  }());
  EXPECT_LT(steady_clock::now() - start, 3s);  // not 20 x 0.3 s
}

}  // namespace
}  // namespace cogi::testing
