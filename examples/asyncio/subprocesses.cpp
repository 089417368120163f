// Runs several commands at once and reports each one's exit status and output sizes,
// in the order they were given, once all have finished. Each argument is one command
// line for sh -c.
//
//   build/examples/subprocesses 'ls -l /usr/bin' 'sleep 1; echo done' 'exit 3'

#include <cstdio>
#include <string>
#include <vector>

#include <asio/this_coro.hpp>

#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/command.hpp"
#include "cogi/server/async/run.hpp"

namespace async = cogi::async;

asio::awaitable<int> amain(std::vector<std::string> commands) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<asio::awaitable<async::process_result>> runs;
  for (const auto& line : commands) runs.push_back(async::run_process(ex, async::command("sh", "-c", line)));
  const auto results = co_await async::gather(std::move(runs));
  int failures = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    std::printf("[%zu] %s: exit %d, stdout %zu bytes, stderr %zu bytes\n", i, commands[i].c_str(),
                r.status.exited() ? r.status.code : -r.status.signal, r.out.size(), r.err.size());
    failures += r.status.success() ? 0 : 1;
  }
  co_return failures;
}

int main(int argc, char** argv) {
  std::vector<std::string> commands(argv + 1, argv + argc);
  if (commands.empty()) commands = {"ls -l /usr/bin", "sleep 1; echo done", "echo oops >&2; exit 3"};
  const int failures = async::run(amain(commands));
  std::printf("%d of %zu commands failed\n", failures, commands.size());
}
