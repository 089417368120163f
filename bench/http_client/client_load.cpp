// cogi's side of bench/http_client.sh: CONNECTIONS coroutines on one loop, each fetching
// URL and reading the body, one request after another, for SECONDS; then one JSON line:
// {"requests": N, "failures": F, "seconds": S, "bytes": B}. The client keeps a pooled
// connection per coroutine, as aiohttp's does.
//   client_load URL CONNECTIONS SECONDS
// Only loopback is ever targeted (the harness starts the server).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "cogi/clients/http/client.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct totals {
  std::size_t requests = 0;
  std::size_t failures = 0;
  std::size_t bytes = 0;
  std::size_t running = 0;
};

asio::awaitable<void> fetch_until(cogi::http_client& client, std::string url, clock_type::time_point end,
                                  totals& sums) {
  while (clock_type::now() < end) {
    try {
      auto r = co_await client.get(url);
      const std::string body = co_await r.text();
      sums.bytes += body.size();
      ++(r.status == 200 ? sums.requests : sums.failures);
    } catch (const std::exception&) {
      ++sums.failures;
    }
  }
  --sums.running;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: client_load URL CONNECTIONS SECONDS\n");
    return 2;
  }
  const std::string url = argv[1];
  const std::size_t connections = std::strtoul(argv[2], nullptr, 10);
  const auto duration = std::chrono::duration<double>(std::strtod(argv[3], nullptr));
  cogi::fetch::client_options options;  // the defaults, with room to keep every connection
  options.max_idle_per_origin = connections;
  cogi::http_client client(options);
  asio::io_context loop;
  totals sums;
  const auto start = clock_type::now();
  const auto end = start + std::chrono::duration_cast<clock_type::duration>(duration);
  for (std::size_t i = 0; i < connections; ++i) {
    ++sums.running;
    asio::co_spawn(loop, fetch_until(client, url, end, sums), asio::detached);
  }
  while (sums.running > 0) loop.run_one();
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  std::printf("{\"requests\": %zu, \"failures\": %zu, \"seconds\": %.3f, \"bytes\": %zu}\n", sums.requests,
              sums.failures, seconds, sums.bytes);
  return 0;
}
