#pragma once
// One event loop: a thread running one io_context, and everything the requests on it
// touch: the app, its per-loop state from lifespan, the read-buffer pool, the list
// of open connections and the parking lot of idle ones (thread per core, shared nothing; docs/architecture.md).

#include <cstdint>

#include <asio/io_context.hpp>

#include "server/contract/app.hpp"
#include "server/runtime/buffer_pool.hpp"
#include "server/runtime/config.hpp"
#include "server/runtime/connection_list.hpp"
#include "server/runtime/loop_counter.hpp"
#include "server/runtime/parking_lot.hpp"
#include "server/runtime/stall_detector.hpp"

namespace cogi::runtime {

class event_loop {
 public:
  event_loop(const app_fn& app, const server_config& config)
      : app_(&app), config_(&config), context_(ASIO_CONCURRENCY_HINT_UNSAFE_IO) {}
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  asio::io_context& context() { return context_; }
  const app_fn& app() const { return *app_; }
  const server_config& config() const { return *config_; }
  state_map& state() { return state_; }
  buffer_pool& buffers() { return buffers_; }
  connection_list& connections() { return connections_; }
  const connection_list& connections() const { return connections_; }
  parking_lot& parking() { return parking_; }
  const parking_lot& parking() const { return parking_; }
  stall_detector& stalls() { return stalls_; }
  const stall_detector& stalls() const { return stalls_; }

  // Set once graceful shutdown begins: connections finish their current request and close.
  bool draining() const { return draining_; }
  void begin_draining() { draining_ = true; }

  // What this loop counts (loop_counter.hpp: written here, readable from any thread).
  loop_counters& counters() { return counters_; }
  const loop_counters& counters() const { return counters_; }

 private:
  const app_fn* app_;
  const server_config* config_;
  // One thread runs this context and a socket is only ever used, and registered with
  // the reactor, on its loop's thread (the acceptor posts the accepted descriptor
  // there: acceptor.cpp), so the per-descriptor I/O lock is dropped. The scheduler stays
  // locked: acceptors and shutdown post to it from other threads.
  asio::io_context context_;
  state_map state_;
  buffer_pool buffers_;
  connection_list connections_;
  parking_lot parking_{*this};  // after connections_: its parked connections are on that list
  stall_detector stalls_;
  bool draining_ = false;
  loop_counters counters_;
};

}  // namespace cogi::runtime
