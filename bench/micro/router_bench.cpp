// Router lookup cost at 10, 100 and 1,000 routes (issue 4: it must not grow with the
// route count). Half the routes are static ("/section17/page"), half take an int
// parameter ("/api/v1/resource17/{id:int}"); each iteration looks up the next of 64
// paths spread over the whole table, alternating kinds.
//
//   taskset -c 0 build/bench/micro/router_bench --benchmark_repetitions=5

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "cogi/framework/router.hpp"

namespace {

cogi::task<> nothing(cogi::request&) { co_return cogi::response(204); }

void RouterLookup(benchmark::State& state) {
  const auto routes = static_cast<int>(state.range(0));
  cogi::router router;
  for (int i = 0; i < routes; ++i) {
    if (i % 2 == 0) {
      router.get("/section" + std::to_string(i) + "/page", nothing);
    } else {
      router.get("/api/v1/resource" + std::to_string(i) + "/{id:int}", nothing);
    }
  }
  std::vector<std::string> paths;
  for (int k = 0; k < 64; ++k) {
    const int i = (k * 7919) % routes;  // spread over the table
    paths.push_back(i % 2 == 0 ? "/section" + std::to_string(i) + "/page"
                               : "/api/v1/resource" + std::to_string(i) + "/" + std::to_string(k * 31));
  }
  cogi::router::resolution found;
  std::size_t k = 0;
  for (auto _ : state) {
    router.resolve(paths[k++ & 63], "GET", found);
    benchmark::DoNotOptimize(found.route);
  }
  if (!found.route) state.SkipWithError("a lookup missed");
}
BENCHMARK(RouterLookup)->Arg(10)->Arg(100)->Arg(1000);

// A miss walks the tree too (a 404 from a scanner): it must not cost more with size.
void RouterMiss(benchmark::State& state) {
  cogi::router router;
  for (int i = 0; i < state.range(0); ++i) router.get("/section" + std::to_string(i) + "/page", nothing);
  cogi::router::resolution found;
  for (auto _ : state) {
    router.resolve("/wp-admin/setup-config.php", "GET", found);
    benchmark::DoNotOptimize(found.route);
  }
}
BENCHMARK(RouterMiss)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
