#pragma once
// The server: N event loops (threads), their listeners, lifespan and graceful shutdown.
// Embeddable (tests start one on port 0); cogi::run() wraps it for a program's main.
//
//   cogi::server server(app, config);
//   server.start();      // lifespan startup on every loop, then bind and accept
//   ...                  // server.tcp_endpoints() tells the bound ports
//   server.shutdown();   // from any thread: graceful drain
//   server.wait();       // returns when every loop has stopped

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "cogi/server/contract/app.hpp"
#include "cogi/server/runtime/config.hpp"
#include "cogi/server/runtime/server_view.hpp"

namespace cogi {

// What the server has done, summed over its loops at the moment of asking (each loop
// counts for itself; reading is safe from any thread while the server runs).
struct server_stats {
  std::uint64_t requests_served = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_open = 0;       // being served or parked now
  std::uint64_t connections_parked = 0;     // idle now, parked without their coroutines
  std::uint64_t connections_timed_out = 0;  // closed by a header, body or keep-alive timeout
  std::uint64_t connections_aborted = 0;    // closed (their requests cancelled) when a
                                            // graceful shutdown ran out of time
  std::uint64_t loop_stalls = 0;            // a loop blocked past --stall-threshold
};

// The app reported lifespan startup_failed; what() is its message.
class startup_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class server {
 public:
  server(app_fn app, server_config config);
  ~server();  // shuts down (without grace) and joins if still running
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Starts the loops, runs lifespan startup on each, then binds and starts accepting.
  // Throws startup_error, or std::system_error when an address cannot be bound; the
  // server is stopped again before either is thrown.
  void start();

  // The TCP addresses actually bound (port 0 resolved).
  std::vector<asio::ip::tcp::endpoint> tcp_endpoints() const;

  // Graceful shutdown, from any thread, idempotent: stop accepting, let in-flight
  // requests finish within --timeout-graceful-shutdown, close idle connections, run
  // lifespan shutdown, stop the loops.
  void shutdown();

  // Blocks until every loop has stopped (after run() began it, runs loop 0 meanwhile).
  void wait();

  // The whole life of a server program, on the calling thread (cogi::run() uses it):
  // starts like start(), but loop 0 runs on this thread, so --loops 1 makes a
  // single-threaded process (the kernel then skips file reference counting on every
  // socket call, as for nginx's workers). SIGINT/SIGTERM begin shutdown(); a second
  // one exits at once with status 1. Returns once every loop has stopped; throws what
  // start() throws.
  void run();

  // The counts above, summed over the loops now.
  server_stats stats() const;
  // Whether the readiness endpoint says ready: started, and no shutdown begun.
  bool ready() const { return view_.ready.load(); }

 private:
  struct loop_slot;

  // Creates the loops and starts a thread for each one from `first_threaded` on.
  void create_loops(unsigned first_threaded);
  // Runs lifespan startup on every loop and waits for all of them, running `waiter`
  // (loops report there) on this thread meanwhile. Throws startup_error after
  // stopping the loops if one failed.
  void start_up_loops(asio::io_context& waiter);
  void bind_listeners();
  // bind_listeners(), or if that throws: shut down, wait for the loops, rethrow.
  void bind_or_shut_down();
  void stop_loops();

  app_fn app_;
  server_config config_;
  runtime::server_view view_;  // before loops_: they point to it
  std::vector<std::unique_ptr<loop_slot>> loops_;
  std::vector<asio::ip::tcp::endpoint> bound_;
  std::atomic<bool> shutdown_started_{false};
  bool started_ = false;
  bool loop_zero_on_caller_ = false;  // run(): loop 0 runs on the thread that waits
  // start(): where the loops report their lifespan startup. A member, not a local: a
  // loop thread may still be inside post() (signalling) after the report has run.
  asio::io_context startup_reports_{1};
};

}  // namespace cogi
