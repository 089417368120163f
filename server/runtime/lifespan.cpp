#include "server/runtime/lifespan.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>

#include "server/runtime/event_loop.hpp"
#include "server/runtime/log.hpp"

namespace cogi::runtime {

lifespan::lifespan(event_loop& loop)
    : loop_(loop),
      started_(loop.context().get_executor()),
      shutdown_requested_(loop.context().get_executor()),
      finished_(loop.context().get_executor()) {
  scope_.type = scope_type::lifespan;
  scope_.state = &loop.state();
}

asio::awaitable<std::optional<std::string>> lifespan::startup() {
  asio::co_spawn(loop_.context(), run_app(), asio::detached);
  co_await started_.wait();
  co_return startup_failure_;
}

asio::awaitable<void> lifespan::shutdown() {
  if (!supported_ || finished_.is_set()) co_return;
  shutdown_requested_.set();
  co_await finished_.wait();
}

asio::awaitable<void> lifespan::run_app() {
  auto receive_impl = [this] { return receive(); };
  auto send_impl = [this](const send_event& event) { return send(event); };
  try {
    co_await loop_.app()(scope_, receive_fn(receive_impl), send_fn(send_impl));
    if (!startup_answered_) {
      supported_ = false;
      log::debug("lifespan: the app returned without answering startup; serving without lifespan");
    }
  } catch (const std::exception& error) {
    if (!startup_answered_) {
      supported_ = false;
      log::debug(std::string("lifespan unsupported by the app: ") + error.what());
    } else {
      log::error(std::string("Exception in lifespan: ") + error.what());
    }
  }
  started_.set();
  finished_.set();
}

asio::awaitable<receive_event> lifespan::receive() {
  switch (receives_++) {
    case 0:
      co_return receive_event{receive_type::lifespan_startup, {}, false};
    case 1:
      co_await shutdown_requested_.wait();
      co_return receive_event{receive_type::lifespan_shutdown, {}, false};
    default:
      throw protocol_error("lifespan: receive() called after lifespan_shutdown");
  }
}

asio::awaitable<void> lifespan::send(const send_event& event) {
  if (std::holds_alternative<lifespan_startup_complete>(event) && !startup_answered_) {
    startup_answered_ = true;
    started_.set();
  } else if (const auto* failed = std::get_if<lifespan_startup_failed>(&event); failed && !startup_answered_) {
    startup_answered_ = true;
    startup_failure_ = failed->message.empty() ? std::string("startup failed") : std::string(failed->message);
    started_.set();
  } else if (std::holds_alternative<lifespan_shutdown_complete>(event) && shutdown_requested_.is_set()) {
    finished_.set();
  } else if (const auto* shutdown_failed = std::get_if<lifespan_shutdown_failed>(&event);
             shutdown_failed && shutdown_requested_.is_set()) {
    log::error("Application shutdown failed: " + std::string(shutdown_failed->message));
    finished_.set();
  } else {
    throw protocol_error("unexpected event in the lifespan scope");
  }
  co_return;
}

}  // namespace cogi::runtime
