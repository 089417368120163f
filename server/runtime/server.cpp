#include "cogi/server/runtime/server.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <functional>
#include <optional>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>

#include "cogi/server/async/blocking_pool.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/http/lifespan_exchange.hpp"
#include "cogi/server/runtime/acceptor.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/contract/log.hpp"
#include "cogi/server/runtime/socket_address.hpp"

namespace cogi {

using runtime::event_loop;
using namespace asio::experimental::awaitable_operators;

// Everything one loop owns, kept together so that it is destroyed together.
struct server::loop_slot {
  loop_slot(const app_fn& app, const server_config& config, const runtime::server_view& view)
      : loop(app, config, &view), lifespan(loop.state()), work(loop.context().get_executor()) {}

  event_loop loop;
  http::lifespan_exchange lifespan;
  std::vector<std::unique_ptr<runtime::stream_acceptor>> acceptors;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;
};

namespace {

// After the grace period, connections are closed; their coroutines then finish quickly.
constexpr auto abort_settle_time = std::chrono::seconds(1);

// Graceful drain of one loop, on that loop.
asio::awaitable<void> drain_loop(event_loop& loop, http::lifespan_exchange& lifespan,
                                 std::vector<std::unique_ptr<runtime::stream_acceptor>>& acceptors,
                                 std::chrono::milliseconds grace) {
  for (auto& acceptor : acceptors) {
    asio::error_code ignored;
    acceptor->close(ignored);
  }
  loop.begin_draining();
  loop.connections().drain_all();
  if (loop.connections().size() > 0) co_await (loop.connections().wait_until_empty() || async::sleep_for(grace));
  if (loop.connections().size() > 0) {
    log::warning("graceful shutdown timed out: closing " + std::to_string(loop.connections().size()) +
                 " connection(s)");
    loop.connections().abort_all();
    co_await (loop.connections().wait_until_empty() || async::sleep_for(abort_settle_time));
  }
  co_await lifespan.shutdown();
  loop.access_log().flush();
  // Whatever is still pending (apps ignoring closed connections) is dropped with the loop.
  loop.context().stop();
}

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

server::server(app_fn app, server_config config) : app_(std::move(app)), config_(std::move(config)) {}

server::~server() {
  if (!started_) return;
  for (auto& slot : loops_) slot->loop.context().stop();
  wait();
}

void server::create_loops(unsigned first_threaded) {
  if (started_) throw std::logic_error("server already started");
  started_ = true;
  // Sized before any handler can use it; a pool already in use (an earlier server in the
  // same process) keeps its size.
  if (config_.blocking_threads != 0 && !async::blocking_pool::configure_shared(config_.blocking_threads))
    log::warning("--blocking-threads ignored: the blocking pool is already running");
  const unsigned count = config_.loop_count();
  for (unsigned i = 0; i < count; ++i) loops_.push_back(std::make_unique<loop_slot>(app_, config_, view_));
  for (auto& slot : loops_) view_.loops.push_back(&slot->loop);
  for (auto& slot : loops_) {
    asio::co_spawn(slot->loop.context(), slot->loop.stalls().run(config_.stall_threshold), asio::detached);
  }
  for (unsigned i = first_threaded; i < count; ++i)
    loops_[i]->thread = std::thread([&context = loops_[i]->loop.context()] { context.run(); });
}

void server::start_up_loops(asio::io_context& waiter) {
  // Lifespan startup on every loop before any of them accepts (docs/contract.md). Each loop
  // reports to `waiter`, which this thread runs until every loop has answered.
  std::size_t pending = loops_.size();
  std::optional<std::string> failure;
  const auto report = [&](std::optional<std::string> result) {
    if (result && !failure) failure = std::move(result);
    --pending;
  };
  for (auto& slot : loops_) {
    asio::co_spawn(slot->loop.context(), slot->lifespan.startup(slot->loop.app()),
                   [&](std::exception_ptr error, std::optional<std::string> result) {
                     if (error) result = describe(error);
                     asio::post(waiter, [&report, result = std::move(result)]() mutable { report(std::move(result)); });
                   });
  }
  const auto keep_waiting = asio::make_work_guard(waiter);
  while (pending > 0) waiter.run_one();
  if (failure) {
    stop_loops();
    throw startup_error(*failure);
  }
}

void server::bind_or_shut_down() {
  try {
    bind_listeners();
  } catch (...) {
    shutdown();
    wait();
    throw;
  }
}

void server::start() {
  create_loops(0);
  start_up_loops(startup_reports_);
  bind_or_shut_down();
  if (!shutdown_started_) view_.ready = true;
}

void server::run() {
  create_loops(1);
  loop_zero_on_caller_ = true;
  asio::io_context& main_loop = loops_.front()->loop.context();

  // Signals are handled on loop 0. One that comes during startup is acted on once the
  // listeners are bound (shutdown() must not overlap with binding them).
  bool serving = false;
  int signals_seen = 0;
  asio::signal_set signals(main_loop, SIGINT, SIGTERM);
  std::function<void(const asio::error_code&, int)> on_signal = [&](const asio::error_code& ec, int) {
    if (ec) return;
    if (++signals_seen == 1) {
      log::info("Shutting down (press CTRL+C again to force)");
      if (serving) shutdown();
      signals.async_wait(on_signal);
    } else {
      log::warning("Forced exit");
      std::_Exit(1);
    }
  };
  signals.async_wait(on_signal);

  log::info("Waiting for application startup.");
  start_up_loops(main_loop);
  bind_or_shut_down();
  log::info("Application startup complete.");
  serving = true;
  view_.ready = true;
  if (signals_seen > 0) shutdown();
  wait();  // runs loop 0 here
  log::info("Finished server process");
}

void server::bind_listeners() {
  const auto resolve = [](const endpoint_spec& spec) {
    asio::io_context resolver_context;
    asio::ip::tcp::resolver resolver(resolver_context);
    const auto results = resolver.resolve(spec.host, std::to_string(spec.port),
                                          asio::ip::resolver_base::passive | asio::ip::resolver_base::numeric_service);
    return results.begin()->endpoint();
  };
  std::vector<event_loop*> all_loops;
  for (auto& slot : loops_) all_loops.push_back(&slot->loop);

  std::size_t next_owner = 0;
  const auto start_accepting = [&](loop_slot& owner, runtime::stream_acceptor acceptor, std::vector<event_loop*> targets) {
    owner.acceptors.push_back(std::make_unique<runtime::stream_acceptor>(std::move(acceptor)));
    asio::co_spawn(owner.loop.context(), runtime::accept_connections(*owner.acceptors.back(), std::move(targets)),
                   asio::detached);
  };

  for (const auto& spec : config_.tcp_endpoints()) {
    auto endpoint = resolve(spec);
    if (config_.reuse_port) {
      // One listener per loop on the same port; the kernel spreads connections.
      for (auto& slot : loops_) {
        auto acceptor = runtime::listen_tcp(slot->loop.context(), endpoint, config_.backlog, true);
        endpoint.port(runtime::to_address(acceptor.local_endpoint()).port);  // port 0: all loops share the first
        start_accepting(*slot, std::move(acceptor), {&slot->loop});
      }
    } else {
      loop_slot& owner = *loops_[next_owner++ % loops_.size()];
      auto acceptor = runtime::listen_tcp(owner.loop.context(), endpoint, config_.backlog, false);
      endpoint.port(runtime::to_address(acceptor.local_endpoint()).port);
      start_accepting(owner, std::move(acceptor), all_loops);
    }
    bound_.push_back(endpoint);
    log::info("cogi running on http://" +
              (endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]" : endpoint.address().to_string()) +
              ":" + std::to_string(endpoint.port()) + " (" + std::to_string(loops_.size()) + " loop" +
              (loops_.size() == 1 ? "" : "s") + ", press CTRL+C to quit)");
  }
  if (!config_.uds.empty()) {
    loop_slot& owner = *loops_[next_owner++ % loops_.size()];
    start_accepting(owner, runtime::listen_unix(owner.loop.context(), config_.uds, config_.backlog), all_loops);
    log::info("cogi running on unix socket " + config_.uds);
  }
}

std::vector<asio::ip::tcp::endpoint> server::tcp_endpoints() const { return bound_; }

void server::shutdown() {
  if (!started_ || shutdown_started_.exchange(true)) return;
  // Not ready from now on: load balancers stop sending while the drain runs.
  view_.ready = false;
  for (auto& slot : loops_) {
    asio::co_spawn(slot->loop.context(),
                   drain_loop(slot->loop, slot->lifespan, slot->acceptors, config_.graceful_shutdown_timeout),
                   asio::detached);
  }
}

void server::stop_loops() {
  shutdown_started_ = true;
  for (auto& slot : loops_) slot->loop.context().stop();
  wait();
}

void server::wait() {
  // In run(), loop 0 has no thread of its own: the waiting thread runs it, until
  // drain_loop() (or stop_loops()) stops it.
  if (loop_zero_on_caller_ && !loops_.empty()) loops_.front()->loop.context().run();
  for (auto& slot : loops_)
    if (slot->thread.joinable()) slot->thread.join();
  if (!config_.uds.empty()) ::unlink(config_.uds.c_str());
}

server_stats server::stats() const {
  server_stats total;
  for (const auto& slot : loops_) {
    const event_loop& loop = slot->loop;
    const auto& counters = loop.counters();
    total.requests_served += counters.requests.get();
    total.connections_accepted += counters.connections_accepted.get();
    total.connections_open += loop.connections().size();
    total.connections_parked += loop.parking().size();
    total.connections_timed_out += counters.connections_timed_out.get();
    total.connections_aborted += counters.connections_aborted.get();
    total.loop_stalls += loop.stalls().stalls();
  }
  return total;
}

}  // namespace cogi
