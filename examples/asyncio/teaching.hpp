#pragma once
// What the asyncio teaching programs ported here share: their "seconds" (scaled by
// --unit-ms, so that tests can run them quickly; 1000 by default), Python's
// random.randint, and time.perf_counter.

#include <chrono>
#include <cstdlib>
#include <random>
#include <string_view>

namespace cogi::examples {

// The length of one "second" in the programs' sleeps.
inline std::chrono::milliseconds& unit() {
  static std::chrono::milliseconds value{1000};
  return value;
}

inline std::chrono::steady_clock::duration seconds(double count) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(count * unit());
}

// Reads --unit-ms N and leaves the other arguments; returns the index of the first
// argument that is not an option.
inline int parse_teaching_options(int argc, char** argv) {
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--unit-ms" && i + 1 < argc) {
      unit() = std::chrono::milliseconds(std::atoi(argv[++i]));
    } else {
      break;
    }
  }
  return i;
}

// random.randint(low, high): both ends included.
inline int randint(int low, int high) {
  static std::mt19937 generator{std::random_device{}()};
  return std::uniform_int_distribution<int>(low, high)(generator);
}

// time.perf_counter() in seconds of the programs' unit.
inline double perf_counter() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()) / unit();
}

}  // namespace cogi::examples
