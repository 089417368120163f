// The asyncio teaching programs (examples/asyncio/) run as users run them, checked for
// what they are meant to show: elapsed time, ordering and counts (generous bounds).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <vector>

#ifndef COGI_EXAMPLES_DIR
#error "COGI_EXAMPLES_DIR must name the directory of the example binaries"
#endif

namespace cogi::testing {
namespace {

using namespace std::chrono_literals;

struct program_run {
  std::vector<std::string> lines;
  int status = -1;
  std::chrono::duration<double> elapsed{};
};

// Runs an example (arguments already shell-quoted) and collects its stdout by line.
program_run run_example(const std::string& name, const std::string& arguments) {
  const std::string command = std::string(COGI_EXAMPLES_DIR) + "/" + name + " " + arguments;
  program_run run;
  const auto start = std::chrono::steady_clock::now();
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  char line[4096];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    run.lines.push_back(text);
  }
  run.status = ::pclose(pipe);
  run.elapsed = std::chrono::steady_clock::now() - start;
  return run;
}

std::vector<std::string> matching(const program_run& run, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (const auto& line : run.lines)
    if (std::regex_search(line, re)) found.push_back(line);
  return found;
}

TEST(AsyncioExamples, CountasyncOverlapsItsSleepsWhereCountsyncDoesNot) {
  const auto async_run = run_example("countasync", "--unit-ms 300");
  ASSERT_EQ(async_run.status, 0);
  EXPECT_EQ(std::vector<std::string>(async_run.lines.begin(), async_run.lines.begin() + 6),
            (std::vector<std::string>{"One", "One", "One", "Two", "Two", "Two"}));
  EXPECT_GE(async_run.elapsed, 300ms);
  EXPECT_LT(async_run.elapsed, 750ms);  // one sleep, not three (900 ms)

  const auto sync_run = run_example("countsync", "--unit-ms 300");
  ASSERT_EQ(sync_run.status, 0);
  EXPECT_EQ(std::vector<std::string>(sync_run.lines.begin(), sync_run.lines.begin() + 6),
            (std::vector<std::string>{"One", "Two", "One", "Two", "One", "Two"}));
  EXPECT_GE(sync_run.elapsed, 900ms);
}

TEST(AsyncioExamples, ChainRunsEachChainInOrderAndTheChainsConcurrently) {
  const auto run = run_example("chain", "--unit-ms 20 9 6 3");
  ASSERT_EQ(run.status, 0);
  for (const int n : {9, 6, 3}) {
    const std::string id = std::to_string(n);
    std::vector<std::size_t> at;
    for (const std::string& pattern : {"^part1\\(" + id + "\\) sleeping", "^Returning part1\\(" + id + "\\)",
                                       "^part2\\(" + id + ", 'result" + id + "-1'\\) sleeping",
                                       "^Returning part2\\(" + id + ",", "^-->Chained result" + id + " =>"}) {
      const std::regex re(pattern);
      std::size_t i = 0;
      while (i < run.lines.size() && !std::regex_search(run.lines[i], re)) ++i;
      ASSERT_LT(i, run.lines.size()) << "missing: " << pattern;
      at.push_back(i);
    }
    EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << "chain " << n << " out of order";
  }
  // Concurrent: the program takes as long as its slowest chain, not the sum of them.
  double slowest = 0, total = 0;
  std::smatch m;
  for (const auto& line : run.lines) {
    if (std::regex_search(line, m, std::regex("took ([0-9.]+) seconds"))) slowest = std::max(slowest, std::stod(m[1]));
    if (std::regex_search(line, m, std::regex("^Program finished in ([0-9.]+)"))) total = std::stod(m[1]);
  }
  EXPECT_GT(total, 0);
  EXPECT_LT(total, slowest + 2.0);
}

TEST(AsyncioExamples, RandGeneratorsEachBeatTheirThreshold) {
  const auto run = run_example("rand", "--unit-ms 2");
  ASSERT_EQ(run.status, 0);
  const auto finished = matching(run, "---> Finished: makerandom");
  ASSERT_EQ(finished.size(), 3u);
  std::smatch m;
  for (const auto& line : finished) {
    ASSERT_TRUE(std::regex_search(line, m, std::regex("makerandom\\(([0-9])\\) == ([0-9]+)")));
    const int idx = std::stoi(m[1]), value = std::stoi(m[2]);
    EXPECT_GT(value, 10 - idx - 1) << line;
  }
  EXPECT_EQ(matching(run, "^Initiated makerandom").size(), 3u);
  EXPECT_EQ(matching(run, "^r1: [0-9]+, r2: [0-9]+, r3: [0-9]+$").size(), 1u);
}

TEST(AsyncioExamples, QueueConsumesExactlyWhatWasProducedAndEndsCleanly) {
  const auto run = run_example("queue", "--unit-ms 2 -p 2 -c 5");
  ASSERT_EQ(run.status, 0);
  std::multiset<std::string> added, got;
  std::smatch m;
  for (const auto& line : run.lines) {
    if (std::regex_search(line, m, std::regex("^Producer [01] added <([0-9a-f]{10})> to queue\\.$"))) added.insert(m[1]);
    if (std::regex_search(line, m, std::regex("^Consumer [0-4] got element <([0-9a-f]{10})>"))) got.insert(m[1]);
  }
  EXPECT_EQ(added, got);
  EXPECT_TRUE(matching(run, "^Producer [2-9]|^Consumer [5-9]").empty());  // -p 2 -c 5 honoured
  ASSERT_FALSE(run.lines.empty());
  EXPECT_TRUE(std::regex_search(run.lines.back(), std::regex("^Program completed in [0-9.]+ seconds\\.$")));
}

TEST(AsyncioExamples, SubprocessesRunConcurrentlyAndReportEachOne) {
  const auto run = run_example("subprocesses", "'sleep 0.4; echo done' 'sleep 0.4; exit 3' 'sleep 0.4; echo err >&2'");
  ASSERT_EQ(run.status, 0);
  EXPECT_EQ(matching(run, R"(^\[0\] sleep 0\.4; echo done: exit 0, stdout 5 bytes, stderr 0 bytes$)").size(), 1u);
  EXPECT_EQ(matching(run, R"(^\[1\] sleep 0\.4; exit 3: exit 3, stdout 0 bytes, stderr 0 bytes$)").size(), 1u);
  EXPECT_EQ(matching(run, R"(^\[2\] sleep 0\.4; echo err >&2: exit 0, stdout 0 bytes, stderr 4 bytes$)").size(), 1u);
  EXPECT_EQ(matching(run, "^1 of 3 commands failed$").size(), 1u);
  EXPECT_LT(run.elapsed, 1100ms);  // three 0.4 s commands at once, not 1.2 s
}

}  // namespace
}  // namespace cogi::testing
