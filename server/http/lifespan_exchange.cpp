#include "cogi/server/http/lifespan_exchange.hpp"

#include <variant>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/contract/log.hpp"

namespace cogi::http {

lifespan_exchange::lifespan_exchange(state_map& state) {
  scope_.type = scope_type::lifespan;
  scope_.state = &state;
}

asio::awaitable<std::optional<std::string>> lifespan_exchange::startup(const app_fn& app) {
  asio::co_spawn(co_await asio::this_coro::executor, run_app(app), asio::detached);
  co_await answered_startup_.wait();
  co_return startup_failure_;
}

asio::awaitable<void> lifespan_exchange::shutdown() {
  if (!supported_ || finished_.is_set()) co_return;
  shutdown_requested_.set();
  co_await answered_shutdown_.wait();
}

asio::awaitable<void> lifespan_exchange::run_app(const app_fn& app) {
  auto receive_impl = [this] { return receive(); };
  auto send_impl = [this](const send_event& event) { return send(event); };
  try {
    co_await app(scope_, receive_fn(receive_impl), send_fn(send_impl));
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
  answered_startup_.set();
  answered_shutdown_.set();
  finished_.set();
}

asio::awaitable<receive_event> lifespan_exchange::receive() {
  switch (receives_++) {
    case 0:
      co_return receive_event{.type = receive_type::lifespan_startup};
    case 1:
      co_await shutdown_requested_.wait();
      co_return receive_event{.type = receive_type::lifespan_shutdown};
    default:
      throw protocol_error("lifespan: receive() called after lifespan_shutdown");
  }
}

asio::awaitable<void> lifespan_exchange::send(const send_event& event) {
  if (std::holds_alternative<lifespan_startup_complete>(event) && !startup_answered_) {
    startup_answered_ = true;
    answered_startup_.set();
  } else if (const auto* failed = std::get_if<lifespan_startup_failed>(&event); failed && !startup_answered_) {
    startup_answered_ = true;
    startup_failure_ = failed->message.empty() ? std::string("startup failed") : std::string(failed->message);
    answered_startup_.set();
  } else if (std::holds_alternative<lifespan_shutdown_complete>(event) && shutdown_requested_.is_set() &&
             !answered_shutdown_.is_set()) {
    answered_shutdown_.set();
  } else if (const auto* shutdown_failed = std::get_if<lifespan_shutdown_failed>(&event);
             shutdown_failed && shutdown_requested_.is_set() && !answered_shutdown_.is_set()) {
    log::error("Application shutdown failed: " + std::string(shutdown_failed->message));
    answered_shutdown_.set();
  } else {
    throw protocol_error("unexpected event in the lifespan scope");
  }
  co_return;
}

}  // namespace cogi::http
