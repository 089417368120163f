// countsync.py: three counters one after another, each sleeping (blocking) for a
// second. About three seconds in all: compare countasync.
//
//   build/examples/countsync [--unit-ms N]

#include <cstdio>
#include <thread>

#include "examples/asyncio/teaching.hpp"

using namespace cogi::examples;

void count() {
  std::puts("One");
  std::this_thread::sleep_for(seconds(1));
  std::puts("Two");
}

int main(int argc, char** argv) {
  parse_teaching_options(argc, argv);
  const double start = perf_counter();
  for (int i = 0; i < 3; ++i) count();
  std::printf("countsync executed in %0.2f seconds.\n", perf_counter() - start);
}
