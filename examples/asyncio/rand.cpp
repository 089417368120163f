// rand.py: three concurrent random number generators. Each draws 0-10 until it beats
// its threshold (9, 8, 7), sleeping idx+1 seconds between tries; each prints in its own
// colour (when stdout is a terminal).
//
//   build/examples/rand [--unit-ms N]

#include <unistd.h>

#include <cstdio>
#include <vector>

#include "examples/asyncio/teaching.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/sleep.hpp"

namespace async = cogi::async;
using namespace cogi::examples;

const char* colour(int index) {
  static const bool terminal = ::isatty(STDOUT_FILENO) != 0;
  static const char* const colours[] = {"\033[0m", "\033[36m", "\033[91m", "\033[35m"};  // end, cyan, red, magenta
  return terminal ? colours[index] : "";
}

asio::awaitable<int> makerandom(int idx, int threshold) {
  std::printf("%sInitiated makerandom(%d).\n", colour(idx + 1), idx);
  int i = randint(0, 10);
  while (i <= threshold) {
    std::printf("%smakerandom(%d) == %d too low; retrying.\n", colour(idx + 1), idx, i);
    co_await async::sleep_for(seconds(idx + 1));
    i = randint(0, 10);
  }
  std::printf("%s---> Finished: makerandom(%d) == %d%s\n", colour(idx + 1), idx, i, colour(0));
  co_return i;
}

asio::awaitable<void> amain() {
  std::vector<asio::awaitable<int>> generators;
  for (int i = 0; i < 3; ++i) generators.push_back(makerandom(i, 10 - i - 1));
  const auto results = co_await async::gather(std::move(generators));
  std::printf("r1: %d, r2: %d, r3: %d\n", results[0], results[1], results[2]);
}

int main(int argc, char** argv) {
  parse_teaching_options(argc, argv);
  async::run(amain());
}
