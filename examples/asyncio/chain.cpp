// chain.py: each chain awaits part1, then part2 with part1's result; the chains run
// concurrently, each step waiting a random 0-10 seconds.
//
//   build/examples/chain [--unit-ms N] 9 6 3

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "examples/asyncio/teaching.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/sleep.hpp"

namespace async = cogi::async;
using namespace cogi::examples;

asio::awaitable<std::string> part1(int n) {
  const int i = randint(0, 10);
  std::printf("part1(%d) sleeping for %d seconds.\n", n, i);
  co_await async::sleep_for(seconds(i));
  std::string result = "result" + std::to_string(n) + "-1";
  std::printf("Returning part1(%d) == %s.\n", n, result.c_str());
  co_return result;
}

asio::awaitable<std::string> part2(int n, std::string arg) {
  const int i = randint(0, 10);
  std::printf("part2(%d, '%s') sleeping for %d seconds.\n", n, arg.c_str(), i);
  co_await async::sleep_for(seconds(i));
  std::string result = "result" + std::to_string(n) + "-2 derived from " + arg;
  std::printf("Returning part2(%d, '%s') == %s.\n", n, arg.c_str(), result.c_str());
  co_return result;
}

asio::awaitable<void> chain(int n) {
  const double start = perf_counter();
  std::string p1 = co_await part1(n);
  const std::string p2 = co_await part2(n, std::move(p1));
  std::printf("-->Chained result%d => %s (took %0.2f seconds).\n", n, p2.c_str(), perf_counter() - start);
}

asio::awaitable<void> amain(std::vector<int> args) {
  std::vector<asio::awaitable<void>> chains;
  for (int n : args) chains.push_back(chain(n));
  co_await async::gather(std::move(chains));
}

int main(int argc, char** argv) {
  std::vector<int> args;
  for (int i = parse_teaching_options(argc, argv); i < argc; ++i) args.push_back(std::atoi(argv[i]));
  if (args.empty()) args = {9, 6, 3};
  const double start = perf_counter();
  async::run(amain(args));
  std::printf("Program finished in %0.2f seconds.\n", perf_counter() - start);
}
