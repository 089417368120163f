#include "cogi/middleware/concurrency_limit.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

#include "cogi/framework/exception_handlers.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/semaphore.hpp"
#include "cogi/server/async/wait_for.hpp"

namespace cogi {
namespace {

struct limiter {
  concurrency_limit_options options;
  std::uint64_t id;  // unique per limiter, so that a per-thread table never mixes them up
  std::string retry_after;

  explicit limiter(concurrency_limit_options o)
      : options(o), id(next_id()), retry_after(std::to_string(o.retry_after.count())) {}

  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
  }

  // This loop's semaphore: loops share nothing, so each has its own, without a lock.
  async::semaphore& for_this_loop() const {
    thread_local std::unordered_map<std::uint64_t, std::unique_ptr<async::semaphore>> semaphores;
    auto& slot = semaphores[id];
    if (!slot) slot = std::make_unique<async::semaphore>(options.max_concurrent);
    return *slot;
  }
};

// Gives the permit back however the request ends.
struct permit {
  async::semaphore& from;
  ~permit() { from.release(); }
};

asio::awaitable<void> limited(const limiter& limit, const app_fn& next, scope& sc, receive_fn receive, send_fn send) {
  if (sc.type != scope_type::http) co_return co_await next(sc, receive, send);
  async::semaphore& slots = limit.for_this_loop();
  if (!slots.try_acquire()) {
    bool admitted = slots.waiting() < limit.options.max_waiting;
    if (admitted) {
      try {
        auto wait = slots.acquire();  // named: GCC 12 and co_await temporaries
        co_await async::wait_for(std::move(wait), limit.options.wait_timeout);
      } catch (const async::timeout_error&) {
        admitted = false;
      }
    }
    if (!admitted) {
      response res = http_exception_response(
          http_exception(503, "Service Unavailable: too many requests at once", {{"retry-after", limit.retry_after}}));
      co_return co_await send_response(res, send, sc.method == "HEAD");
    }
  }
  const permit held{slots};
  co_await next(sc, receive, send);
}

}  // namespace

app_wrapper_fn concurrency_limit(concurrency_limit_options options) {
  if (options.max_concurrent == 0) options.max_concurrent = 1;
  return contract_middleware(limiter(options), limited);
}

}  // namespace cogi
