#include "cogi/middleware/cancel_on_disconnect.hpp"

#include <optional>

#include <asio/this_coro.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/task.hpp"

namespace cogi {
namespace {

// async::task, always named in full: cogi::task (the framework's) is another type.
using async::event;
using async::spawn;

// One request's watch: the app runs as a task; once the body is in, a watcher task
// waits on the real receive() for the disconnect.
struct watch {
  watch(receive_fn r, send_fn s) : receive(r), send(s) {}
  receive_fn receive;
  send_fn send;
  std::optional<receive_event> replay;  // the empty body the watcher read for the app
  bool body_done = false;
  bool response_done = false;
  bool client_gone = false;
  event disconnected;                   // what the app's receive() waits on after the body
  std::optional<async::task<void>> app_task;
  std::optional<async::task<void>> watcher;
};

bool has_no_body(const scope& s) {
  const auto length = s.header_value("content-length");
  return s.header_value("transfer-encoding").empty() && (length.empty() || length == "0");
}

asio::awaitable<void> watch_for_disconnect(watch& w) {
  for (;;) {
    receive_event event = co_await w.receive();
    if (event.type == receive_type::http_request) {
      w.replay = event;  // the (empty) body of a request without one: the app gets it
      continue;
    }
    // The real receive() also ends once the response is complete: only a disconnect
    // before that is the client going away.
    if (!w.response_done && w.app_task && !w.app_task->done()) {
      w.client_gone = true;
      w.app_task->cancel();
    }
    w.disconnected.set();
    co_return;
  }
}

void start_watching(watch& w, const asio::any_io_executor& executor) {
  w.body_done = true;
  w.watcher = spawn(executor, watch_for_disconnect(w));
}

asio::awaitable<receive_event> app_receive(watch& w, const asio::any_io_executor& executor) {
  if (w.replay) {
    const receive_event event = *w.replay;
    w.replay.reset();
    co_return event;
  }
  if (!w.body_done) {
    const receive_event event = co_await w.receive();
    if (event.type != receive_type::http_request || !event.more_body) start_watching(w, executor);
    co_return event;
  }
  co_await w.disconnected.wait();
  co_return receive_event{.type = receive_type::http_disconnect};
}

asio::awaitable<void> app_send(watch& w, const send_event& event) {
  if (const auto* body = std::get_if<response_body>(&event); body != nullptr && !body->more_body)
    w.response_done = true;
  co_await w.send(event);
}

struct no_options {};

asio::awaitable<void> guarded(const no_options&, const app_fn& app, scope& s, receive_fn receive, send_fn send) {
  if (s.type != scope_type::http) {
    co_await app(s, receive, send);
    co_return;
  }
  const auto executor = co_await asio::this_coro::executor;
  watch w{receive, send};
  // The app's receive() and send(), bound to this watch (plain lambdas: the coroutines
  // they return borrow `w`, which this frame keeps until the app task has ended).
  auto receive_impl = [&w, &executor] { return app_receive(w, executor); };
  auto send_impl = [&w](const send_event& event) { return app_send(w, event); };
  if (has_no_body(s)) start_watching(w, executor);
  w.app_task = spawn(executor, app(s, receive_fn(receive_impl), send_fn(send_impl)));

  std::exception_ptr failure;
  try {
    co_await w.app_task->result();
  } catch (...) {
    failure = std::current_exception();
  }
  // The watcher may still be waiting on the real receive(): stop it before returning,
  // so nothing of this request outlives the call.
  if (w.watcher) {
    w.watcher->cancel();
    try {
      co_await w.watcher->result();
    } catch (...) {
    }
  }
  if (w.client_gone) throw client_disconnected();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

app_wrapper_fn cancel_on_disconnect() { return contract_middleware(no_options{}, guarded); }

}  // namespace cogi
