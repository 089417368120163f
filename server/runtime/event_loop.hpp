#pragma once
// One event loop: a thread running one io_context, and everything the requests on it
// touch: the app, its per-loop state from lifespan, the read-buffer pool, the list
// of open connections and the parking lot of idle ones, and what the runner keeps of
// its requests (counters, request metrics, access log) (thread per core, shared
// nothing; docs/architecture.md).

#include <cstdint>
#include <optional>

#include <asio/io_context.hpp>

#include "cogi/server/contract/app.hpp"
#include "cogi/server/http/forwarded.hpp"
#include "cogi/server/runtime/access_logger.hpp"
#include "cogi/server/runtime/buffer_pool.hpp"
#include "cogi/server/runtime/config.hpp"
#include "cogi/server/runtime/connection_list.hpp"
#include "cogi/server/runtime/loop_counter.hpp"
#include "cogi/server/runtime/parking_lot.hpp"
#include "cogi/server/runtime/request_metrics.hpp"
#include "cogi/server/runtime/runner_endpoints.hpp"
#include "cogi/server/runtime/server_view.hpp"
#include "cogi/server/runtime/stall_detector.hpp"

namespace cogi::runtime {

class event_loop {
 public:
  // `view`: the server this loop belongs to, for the runner's endpoints (may be null).
  event_loop(const app_fn& app, const server_config& config, const server_view* view = nullptr)
      : app_(&app),
        config_(&config),
        view_(view),
        context_(ASIO_CONCURRENCY_HINT_UNSAFE_IO),
        access_log_(context_, config) {
    if (config.proxy_headers) proxies_.emplace(http::trusted_proxies::from_list(config.forwarded_allow_ips));
    runner_app_ = [this](scope& request, receive_fn receive, send_fn send) {
      return serve_runner_endpoint(*this, request, receive, send);
    };
  }
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  asio::io_context& context() { return context_; }
  const app_fn& app() const { return *app_; }
  // The runner's own endpoints as an app (runner_endpoints.hpp).
  const app_fn& runner_app() const { return runner_app_; }
  const server_config& config() const { return *config_; }
  const server_view* view() const { return view_; }
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
  // Nobody can read the request metrics without their endpoint: then they are not kept.
  bool keeps_request_metrics() const { return !config_->metrics_path.empty(); }
  request_metrics& metrics() { return metrics_; }
  const request_metrics& metrics() const { return metrics_; }
  access_logger& access_log() { return access_log_; }
  // The proxies trusted with X-Forwarded-* (--proxy-headers), or null when off.
  const http::trusted_proxies* trusted_proxies() const { return proxies_ ? &*proxies_ : nullptr; }

 private:
  const app_fn* app_;
  const server_config* config_;
  const server_view* view_;
  app_fn runner_app_;
  // One thread runs this context and a socket is only ever used, and registered with
  // the reactor, on its loop's thread (the acceptor posts the accepted descriptor
  // there: acceptor.cpp), so the per-descriptor I/O lock is dropped. The scheduler stays
  // locked: acceptors and shutdown post to it from other threads.
  asio::io_context context_;
  access_logger access_log_;  // after context_: it posts its writes there
  std::optional<http::trusted_proxies> proxies_;
  state_map state_;
  buffer_pool buffers_;
  connection_list connections_;
  parking_lot parking_{*this};  // after connections_: its parked connections are on that list
  stall_detector stalls_;
  bool draining_ = false;
  loop_counters counters_;
  request_metrics metrics_;
};

}  // namespace cogi::runtime
