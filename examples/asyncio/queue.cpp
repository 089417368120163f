// asyncq.py: producers put random items on a queue after random waits; consumers take
// them (after random waits of their own) and report how long each item waited. Ends
// when every producer is done and every item has been consumed: the consumers, still
// waiting for more, are then cancelled.
//
//   build/examples/queue [--unit-ms N] [-p PRODUCERS] [-c CONSUMERS]

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/this_coro.hpp>

#include "examples/asyncio/teaching.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/queue.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/task.hpp"

namespace async = cogi::async;
using namespace cogi::examples;

struct item {
  std::string value;
  double put_at;
};

std::string makeitem(int size = 5) {  // os.urandom(size).hex()
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < size; ++i) {
    const int byte = randint(0, 255);
    text += hex[byte >> 4];
    text += hex[byte & 15];
  }
  return text;
}

asio::awaitable<void> randsleep(const std::string& caller) {
  const int i = randint(0, 10);
  std::printf("%s sleeping for %d seconds.\n", caller.c_str(), i);
  co_await async::sleep_for(seconds(i));
}

asio::awaitable<void> produce(int name, async::queue<item>& q) {
  const int n = randint(0, 10);
  for (int k = 0; k < n; ++k) {
    co_await randsleep("Producer " + std::to_string(name));
    item made{makeitem(), perf_counter()};
    const std::string value = made.value;
    co_await q.put(std::move(made));
    std::printf("Producer %d added <%s> to queue.\n", name, value.c_str());
  }
}

asio::awaitable<void> consume(int name, async::queue<item>& q) {
  for (;;) {
    co_await randsleep("Consumer " + std::to_string(name));
    const item got = co_await q.get();
    std::printf("Consumer %d got element <%s> in %0.5f seconds.\n", name, got.value.c_str(),
                perf_counter() - got.put_at);
    q.task_done();
  }
}

asio::awaitable<void> amain(int producers, int consumers) {
  auto ex = co_await asio::this_coro::executor;
  async::queue<item> q;
  std::vector<async::task<void>> producing, consuming;
  for (int n = 0; n < producers; ++n) producing.push_back(async::spawn(ex, produce(n, q)));
  for (int n = 0; n < consumers; ++n) consuming.push_back(async::spawn(ex, consume(n, q)));
  for (auto& p : producing) co_await p.result();
  co_await q.join();  // every item put has been consumed
  for (auto& c : consuming) c.cancel();
  for (auto& c : consuming) {
    try {
      co_await c.result();
    } catch (const async::task_cancelled&) {
      // expected: they were waiting for more
    }
  }
}

int main(int argc, char** argv) {
  int producers = 5, consumers = 10;
  for (int i = parse_teaching_options(argc, argv); i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "-p" || flag == "--nprod") producers = std::atoi(argv[i + 1]);
    if (flag == "-c" || flag == "--ncon") consumers = std::atoi(argv[i + 1]);
  }
  const double start = perf_counter();
  async::run(amain(producers, consumers));
  std::printf("Program completed in %0.5f seconds.\n", perf_counter() - start);
}
