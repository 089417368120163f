// countasync.py: the same three counters as coroutines, gathered: their sleeps overlap,
// so the whole takes about one second. Prints One One One, then Two Two Two.
//
//   build/examples/countasync [--unit-ms N]

#include <cstdio>

#include "examples/asyncio/teaching.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/sleep.hpp"

namespace async = cogi::async;
using namespace cogi::examples;

asio::awaitable<void> count() {
  std::puts("One");
  co_await async::sleep_for(seconds(1));
  std::puts("Two");
}

asio::awaitable<void> amain() { co_await async::gather(count(), count(), count()); }

int main(int argc, char** argv) {
  parse_teaching_options(argc, argv);
  const double start = perf_counter();
  async::run(amain());
  std::printf("countasync executed in %0.2f seconds.\n", perf_counter() - start);
}
