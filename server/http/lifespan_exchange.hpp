#pragma once
// The server side of the lifespan scope (asgiref specs/lifespan.rst; docs/contract.md):
// the app is called once with a lifespan scope; receive() yields lifespan_startup, and
// after shutdown() lifespan_shutdown; the app answers each with *_complete or *_failed,
// in that order, or its send() throws protocol_error. An app that does not speak
// lifespan (it throws or returns without answering startup) is served anyway, as
// uvicorn's "auto" mode does. Used by the server (once per loop) and the test client.
//
//   http::lifespan_exchange lifespan(loop_state);
//   const std::optional<std::string> failure = co_await lifespan.startup(app);  // startup_failed's message
//   ...                                                                          // serve
//   co_await lifespan.shutdown();

#include <optional>
#include <string>

#include <asio/awaitable.hpp>

#include "cogi/server/async/event.hpp"
#include "cogi/server/contract/app.hpp"

namespace cogi::http {

class lifespan_exchange {
 public:
  explicit lifespan_exchange(state_map& state);
  lifespan_exchange(const lifespan_exchange&) = delete;
  lifespan_exchange& operator=(const lifespan_exchange&) = delete;

  // Calls `app` with the lifespan scope (as a coroutine of its own on the caller's
  // executor; `app` must outlive it) and waits for its answer to startup. Returns the
  // failure message when the app sent startup_failed.
  asio::awaitable<std::optional<std::string>> startup(const app_fn& app);
  // Asks the app to shut down and waits for its answer (or for its call to end). No-op
  // when the app does not speak lifespan or has already returned.
  asio::awaitable<void> shutdown();

  // Whether the app answered startup (false once it turned out not to speak lifespan).
  bool supported() const { return supported_; }
  // The app's lifespan call has returned (or failed).
  bool finished() const { return finished_.is_set(); }

 private:
  asio::awaitable<void> run_app(const app_fn& app);
  asio::awaitable<receive_event> receive();
  asio::awaitable<void> send(const send_event& event);

  scope scope_;
  async::event answered_startup_;  // or the app ended without answering
  async::event shutdown_requested_;
  async::event answered_shutdown_;  // or the app ended without answering
  async::event finished_;
  int receives_ = 0;
  bool startup_answered_ = false;
  bool supported_ = true;
  std::optional<std::string> startup_failure_;
};

}  // namespace cogi::http
