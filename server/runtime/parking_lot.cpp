#include "cogi/server/runtime/parking_lot.hpp"

#include <chrono>
#include <memory>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/memory_release.hpp"

namespace cogi::runtime {

namespace {

// A burst is this many parks; fewer free too little to be worth a purge.
constexpr std::size_t release_burst = 256;
// Waiting this long after a park lets the rest of its burst park too.
constexpr auto release_delay = std::chrono::seconds(1);

}  // namespace

// A parked connection is owned by its pending wait for readability: when the wait
// completes (data, or the socket closed by the sweep, drain or abort) or the loop is
// destroyed with the wait pending, it goes with the handler.
class parking_lot::parked final : public tracked_connection {
 public:
  parked(parking_lot& lot, stream_socket socket, connection_history history, coarse_clock::time_point deadline)
      : lot_(&lot), socket_(std::move(socket)), history_(history), deadline_(deadline) {
    lot.loop_.connections().add(*this);
    lot.link(*this);
  }

  ~parked() override {
    if (lot_ == nullptr) return;  // the lot went first, and took this off its lists
    lot_->unlink(*this);
    lot_->loop_.connections().remove(*this);
  }

  // Graceful shutdown closes an idle connection at once, as does a forced one.
  void drain() override { close(); }
  void abort() override { close(); }

  void close() {
    closed_ = true;
    asio::error_code ignored;
    socket_.close(ignored);  // the wait completes with operation_aborted
  }

 private:
  friend class parking_lot;
  parking_lot* lot_;
  stream_socket socket_;
  connection_history history_;
  coarse_clock::time_point deadline_;
  bool closed_ = false;
  parked* previous_ = nullptr;
  parked* next_ = nullptr;
};

parking_lot::parking_lot(event_loop& loop)
    : loop_(loop), sweep_timer_(loop.context()), release_timer_(loop.context()) {}

parking_lot::~parking_lot() {
  for (parked* p = head_; p != nullptr; p = p->next_) {
    loop_.connections().remove(*p);
    p->lot_ = nullptr;
  }
}

void parking_lot::park(stream_socket socket, connection_history history, coarse_clock::time_point idle_since) {
  const auto deadline = idle_since + loop_.config().limits.keep_alive_timeout;
  auto owned = std::make_unique<parked>(*this, std::move(socket), history, deadline);
  parked& p = *owned;
  p.socket_.async_wait(stream_socket::wait_read, [owned = std::move(owned)](const asio::error_code& ec) {
    if (!ec && !owned->closed_ && owned->lot_ != nullptr) owned->lot_->resume(*owned);
  });
  if (!sweeping_) {
    sweeping_ = true;
    asio::co_spawn(loop_.context(), sweep(), asio::detached);
  }
  ++parked_since_release_;
  release_memory_after_bursts();
}

void parking_lot::release_memory_after_bursts() {
  if (release_pending_) return;
  release_pending_ = true;
  release_timer_.expires_after(release_delay);
  release_timer_.async_wait([this](const asio::error_code& ec) {
    release_pending_ = false;
    if (ec || parked_since_release_ < release_burst) return;  // a trickle: wait for more
    parked_since_release_ = 0;
    release_free_memory();
  });
}

void parking_lot::resume(parked& p) {
  if (loop_.draining()) return;  // closed when p goes
  asio::co_spawn(loop_.context(), serve_connection(std::move(p.socket_), loop_, p.history_), asio::detached);
}

void parking_lot::link(parked& p) {
  parked_.add();
  p.previous_ = tail_;
  p.next_ = nullptr;
  (tail_ ? tail_->next_ : head_) = &p;
  tail_ = &p;
}

void parking_lot::unlink(parked& p) {
  parked_.subtract();
  (p.previous_ ? p.previous_->next_ : head_) = p.next_;
  (p.next_ ? p.next_->previous_ : tail_) = p.previous_;
  p.previous_ = p.next_ = nullptr;
}

asio::awaitable<void> parking_lot::sweep() {
  while (head_ != nullptr) {
    const auto now = coarse_clock::now();
    parked* p = head_;
    for (; p != nullptr && p->deadline_ <= now; p = p->next_) {
      if (p->closed_) continue;
      p->close();  // leaves the list when its wait completes
      loop_.counters().connections_timed_out.add();  // its keep-alive time ran out
    }
    // Until the next deadline; or, when only closed ones are left, until they are gone.
    const auto next_check = p != nullptr ? p->deadline_ - now : coarse_clock::duration(std::chrono::milliseconds(10));
    sweep_timer_.expires_after(next_check);
    co_await sweep_timer_.async_wait(as_result);
  }
  sweeping_ = false;
}

}  // namespace cogi::runtime
