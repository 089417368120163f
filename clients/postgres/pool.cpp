#include "cogi/clients/postgres/pool.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>

#include "cogi/server/async/backoff.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi::postgres {

struct pool::state {
  struct slot {
    std::shared_ptr<connection> open;  // null while (re)connecting
    bool held = false;                 // by a lease
    bool connecting = false;
    asio::cancellation_signal stop_connecting;
  };

  state(asio::any_io_executor ex, options o, std::vector<const detail::statement_definition*> s)
      : executor(std::move(ex)), settings(std::move(o)), statements(std::move(s)), slots(settings.pool_size) {}

  asio::any_io_executor executor;
  const options settings;
  const std::vector<const detail::statement_definition*> statements;
  std::vector<slot> slots;
  bool closed = false;
  // The latest connection attempt failed, and none has succeeded since: the database is
  // down, and queries fail at once rather than wait out acquire_timeout.
  bool database_down = false;
  async::event changed;  // a connection opened or was released: waiters look again
  pool_stats counters;

  // open(): how the first attempts went.
  std::size_t first_attempts_done = 0;
  bool any_opened = false;
  std::exception_ptr first_failure;
  async::event first_attempts_settled;

  void lost(std::size_t index) {
    slot& s = slots[index];
    s.open.reset();
    s.held = false;
    ++counters.losses;
  }
};

pool::pool(asio::any_io_executor executor, options settings, std::vector<const detail::statement_definition*> statements)
    : state_(std::make_shared<state>(std::move(executor), std::move(settings), std::move(statements))) {
  if (state_->slots.empty()) throw std::invalid_argument("postgres: the pool size must be at least 1");
}

pool::~pool() { close(); }

asio::awaitable<void> pool::open() {
  for (std::size_t i = 0; i < state_->slots.size(); ++i) start_connecting(state_, i);
  co_await state_->first_attempts_settled.wait();
  if (!state_->any_opened) {
    const std::exception_ptr failure = state_->first_failure;
    close();
    std::rethrow_exception(failure);
  }
}

void pool::start_connecting(const std::shared_ptr<state>& s, std::size_t index) {
  state::slot& slot = s->slots[index];
  if (s->closed || slot.connecting) return;
  slot.connecting = true;
  asio::co_spawn(s->executor, keep_connected(s, index),
                 asio::bind_cancellation_slot(slot.stop_connecting.slot(), asio::detached));
}

asio::awaitable<void> pool::keep_connected(std::shared_ptr<state> s, std::size_t index) {
  bool first_attempt = !s->any_opened && s->first_attempts_done < s->slots.size();
  async::backoff retry(std::chrono::milliseconds(50), s->settings.reconnect_delay_max);
  for (;;) {
    if (s->closed) break;
    std::exception_ptr failure;
    try {
      std::shared_ptr<connection> opened = co_await connection::open(s->settings, s->statements);
      if (s->closed) {
        opened->close("the pool is closed");
        break;
      }
      std::weak_ptr<state> weak = s;
      opened->on_lost([weak, index] {
        const auto owner = weak.lock();
        if (!owner || owner->closed) return;
        log::warning("postgres: a connection was lost; reconnecting");
        owner->lost(index);
        start_connecting(owner, index);
      });
      state::slot& slot = s->slots[index];
      slot.open = std::move(opened);
      slot.connecting = false;
      s->database_down = false;
      ++s->counters.connects;
      if (retry.failures() > 0) {
        log::info("postgres: connected again after " + std::to_string(retry.failures()) + " failed attempts");
      }
      if (first_attempt) {
        ++s->first_attempts_done;
        s->any_opened = true;
        s->first_attempts_settled.set();
      }
      s->changed.set();
      co_return;
    } catch (const std::exception& e) {
      if (async::is_cancellation(e)) break;
      failure = std::current_exception();
      s->database_down = true;
      if (retry.failures() == 0 && !first_attempt) log::warning(std::string("postgres: cannot connect: ") + e.what());
    }
    if (first_attempt) {
      first_attempt = false;
      ++s->first_attempts_done;
      if (!s->first_failure) s->first_failure = failure;
      if (s->first_attempts_done == s->slots.size()) s->first_attempts_settled.set();
      if (!s->any_opened && s->first_attempts_done == s->slots.size()) break;  // open() fails
    }
    const auto delay = retry.next();
    try {
      co_await async::sleep_for(delay);
    } catch (const std::exception&) {
      break;  // cancelled: the pool closed
    }
  }
  s->slots[index].connecting = false;
}

void pool::close() {
  if (state_->closed) return;
  state_->closed = true;
  for (state::slot& slot : state_->slots) {
    if (slot.connecting) slot.stop_connecting.emit(asio::cancellation_type::terminal);
    if (slot.open) slot.open->close("the pool is closed");
    slot.open.reset();
  }
  state_->changed.set();
  state_->first_attempts_settled.set();
}

// Waits until a connection may have become usable, or throws unavailable once
// acquire_timeout has passed.
asio::awaitable<void> pool::wait_for_connection(std::chrono::steady_clock::time_point deadline) {
  if (state_->closed) throw unavailable("the pool is closed");
  const bool any_open =
      std::any_of(state_->slots.begin(), state_->slots.end(), [](const state::slot& slot) { return slot.open; });
  if (!any_open && state_->database_down) throw unavailable("no connection to the database (reconnecting)");
  state_->changed.clear();
  try {
    co_await async::wait_until(state_->changed.wait(), deadline);
  } catch (const async::timeout_error&) {
    std::size_t open = 0;
    for (const state::slot& slot : state_->slots) open += slot.open != nullptr;
    throw unavailable(open == 0 ? "no connection to the database (reconnecting)"
                                : "every connection is held by a transaction");
  }
}

asio::awaitable<std::shared_ptr<connection>> pool::shared() {
  const auto deadline = std::chrono::steady_clock::now() + state_->settings.acquire_timeout;
  for (;;) {
    state::slot* best = nullptr;
    std::size_t best_load = std::numeric_limits<std::size_t>::max();
    for (state::slot& slot : state_->slots) {
      if (!slot.open || slot.held || !slot.open->is_open()) continue;
      // A connection whose pipeline waits on an abandoned query is used last.
      const std::size_t load = slot.open->in_flight() + (slot.open->is_stuck() ? 1'000'000 : 0);
      if (load < best_load) {
        best = &slot;
        best_load = load;
      }
    }
    if (best != nullptr) co_return best->open;
    co_await wait_for_connection(deadline);
  }
}

asio::awaitable<pool::lease> pool::exclusive() {
  const auto deadline = std::chrono::steady_clock::now() + state_->settings.acquire_timeout;
  for (;;) {
    state::slot* best = nullptr;
    for (state::slot& slot : state_->slots) {
      if (!slot.open || slot.held || !slot.open->is_open()) continue;
      if (best == nullptr || slot.open->in_flight() < best->open->in_flight()) best = &slot;
    }
    if (best != nullptr) {
      best->held = true;
      co_return lease(state_, static_cast<std::size_t>(best - state_->slots.data()), best->open);
    }
    co_await wait_for_connection(deadline);
  }
}

pool_stats pool::stats() const {
  pool_stats s = state_->counters;
  for (const state::slot& slot : state_->slots) {
    if (!slot.open) continue;
    ++s.open;
    s.held += slot.held;
  }
  return s;
}

pool::lease::lease(std::shared_ptr<state> owner, std::size_t slot, std::shared_ptr<connection> held)
    : owner_(std::move(owner)), slot_(slot), connection_(std::move(held)) {}

pool::lease::lease(lease&& other) noexcept
    : owner_(std::move(other.owner_)), slot_(other.slot_), connection_(std::move(other.connection_)) {}

pool::lease& pool::lease::operator=(lease&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
    slot_ = other.slot_;
    connection_ = std::move(other.connection_);
  }
  return *this;
}

pool::lease::~lease() { release(); }

void pool::lease::release() {
  if (!owner_) return;
  state::slot& slot = owner_->slots[slot_];
  // The slot may hold a newer connection by now (this one was lost and replaced).
  if (slot.open == connection_) slot.held = false;
  owner_->changed.set();
  owner_.reset();
  connection_.reset();
}

}  // namespace cogi::postgres
