#pragma once
// Runs an app's lifespan protocol on one loop (asgiref specs/lifespan.rst): the app is
// called once with a lifespan scope; receive() yields lifespan_startup, and later
// lifespan_shutdown; the app answers each with *_complete or *_failed.
// An app that does not speak lifespan (it throws or returns at once) is served anyway,
// as uvicorn's "auto" mode does; a startup_failed aborts the launch with its message.

#include <optional>
#include <string>

#include <asio/awaitable.hpp>

#include "server/contract/app.hpp"
#include "server/runtime/loop_event.hpp"

namespace cogi::runtime {

class event_loop;

class lifespan {
 public:
  explicit lifespan(event_loop& loop);
  lifespan(const lifespan&) = delete;
  lifespan& operator=(const lifespan&) = delete;

  // Starts the app's lifespan call and waits for its startup. Returns the failure
  // message when the app reported startup_failed.
  asio::awaitable<std::optional<std::string>> startup();
  // Asks the app to shut down and waits for it. No-op when lifespan is unsupported.
  asio::awaitable<void> shutdown();

 private:
  asio::awaitable<void> run_app();
  asio::awaitable<receive_event> receive();
  asio::awaitable<void> send(const send_event& event);

  event_loop& loop_;
  scope scope_;
  loop_event started_;
  loop_event shutdown_requested_;
  loop_event finished_;
  int receives_ = 0;
  bool startup_answered_ = false;
  bool supported_ = true;
  std::optional<std::string> startup_failure_;
};

}  // namespace cogi::runtime
