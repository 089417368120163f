// A connection's socket reads and writes, its watchdog (three jobs: writing pipelined
// responses in the background, the timeouts, parking idle connections) and how it
// closes.

#include <algorithm>

#include <asio/write.hpp>

#include "cogi/server/runtime/as_result.hpp"
#include "cogi/server/runtime/detail/connection.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi::runtime::detail {

// ---- socket I/O -----------------------------------------------------------------

asio::awaitable<connection::read_result> connection::read_some(std::size_t min_free, std::size_t keep_until) {
  in_.reserve_free(min_free, keep_until);
  // Asio tries recv() at once and waits for readiness only if that finds nothing, so an
  // idle keep-alive client costs one failed recv() (EAGAIN) per request; nginx, which
  // remembers that its last read drained the socket, makes one recv() in all. Deferring
  // the read behind the loop's ready work saved that syscall, without a measurable gain
  // in throughput, and ran the reactor a third as often, which made timers late: +1 ms
  // at /sleep c=1024. Not a coroutine itself (one frame less per read): callers pass the
  // result to committed().
  return socket_.async_read_some(asio::buffer(in_.free_space(), in_.free_size()), as_result);
}

std::size_t connection::committed(const read_result& result) {
  const auto& [ec, n] = result;
  if (ec) return 0;
  in_.commit(n);
  loop_.counters().bytes_received.add(n);
  return n;
}

namespace {

void skip_written(asio::const_buffer& buffer, std::size_t written) { buffer += written; }

void skip_written(std::array<asio::const_buffer, 3>& buffers, std::size_t written) {
  for (auto& buffer : buffers) {
    const std::size_t skip = std::min(written, buffer.size());
    buffer += skip;
    written -= skip;
  }
}

}  // namespace

template <class Buffers>
bool connection::write_now(Buffers& buffers) {
  asio::error_code ec;
  // The socket is non-blocking: the kernel nearly always takes a whole response at once.
  // A single buffer goes out with send(), cheaper in the kernel than sendmsg()'s gather.
  const std::size_t written = socket_.write_some(buffers, ec);
  if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
    client_left();
    return false;
  }
  loop_.counters().bytes_sent.add(written);
  skip_written(buffers, written);
  return true;
}

asio::awaitable<bool> connection::write(std::string_view first, std::string_view second, std::string_view third) {
  gather_buffers buffers{asio::buffer(first), asio::buffer(second), asio::buffer(third)};
  if (!write_now(buffers)) co_return false;
  if (asio::buffer_size(buffers) == 0) co_return true;
  co_return co_await write_rest(buffers);
}

asio::awaitable<bool> connection::write_rest(gather_buffers buffers) {
  // The client is slow to read: wait, but not forever (body timeout applies to stalls).
  const auto saved_deadline = deadline_;
  deadline_ = clock::now() + limits_.body_timeout;
  writing_ = true;  // out_ is in use: the watchdog must not flush it meanwhile
  auto [ec, n] = co_await asio::async_write(socket_, buffers, as_result);
  writing_ = false;
  deadline_ = saved_deadline;
  loop_.counters().bytes_sent.add(n);
  if (ec) {
    client_left();
    co_return false;
  }
  co_return true;
}

bool connection::try_flush() {
  if (out_.empty()) return true;
  asio::const_buffer rest = asio::buffer(out_);
  if (!write_now(rest)) {
    out_.clear();  // the client is gone: flush() reports it
    return false;
  }
  out_.erase(0, out_.size() - rest.size());
  return out_.empty();
}

asio::awaitable<bool> connection::flush() {
  if (out_.empty()) co_return !closed_ && !disconnected_;
  asio::const_buffer rest = asio::buffer(out_);
  bool ok = write_now(rest);
  if (ok && rest.size() != 0) ok = co_await write_rest({rest, {}, {}});
  out_.clear();
  co_return ok;
}

void connection::flush_in_background() {
  if (flush_requested_) return;
  flush_requested_ = true;
  // Waking the watchdog early queues its resumption behind the work at hand: it runs
  // when this connection's coroutine next suspends, not before.
  watchdog_timer_.cancel();
}

// ---- errors, timeouts and closing -----------------------------------------------

asio::awaitable<void> connection::reject(const http::rejection& rejection) {
  if (rejection.status >= 500) log::debug("rejected request: " + std::string(rejection.reason));
  loop_.counters().count_rejection(rejection.status);
  http::append_rejection(out_, rejection);
  co_await close_gracefully(true);  // the client may still be sending what we refused
}

asio::awaitable<void> connection::close_gracefully(bool linger) {
  if (closed_) co_return;
  phase_ = phase::closing;
  co_await flush();
  asio::error_code ec;
  socket_.shutdown(stream_socket::shutdown_send, ec);
  if (linger && !ec && !disconnected_) {
    // Lingering close: read and drop what the client still sends, so the kernel does not
    // answer it with a reset that could destroy the response before it is read.
    deadline_ = clock::now() + linger_time;
    std::size_t discarded = 0;
    in_.ensure_storage();
    while (!closed_ && discarded < max_linger_bytes) {
      auto [read_error, n] =
          co_await socket_.async_read_some(asio::buffer(in_.data(), in_.capacity()), as_result);
      if (read_error) break;
      discarded += n;
      loop_.counters().bytes_received.add(n);
    }
  }
  close();
}

void connection::on_timeout() {
  loop_.counters().connections_timed_out.add();
  if (phase_ == phase::reading_head && scanner_.any_bytes_seen() && out_.empty()) {
    // Best effort (non-blocking) 408 for a client that started a request and stalled.
    std::string response;
    http::append_error_response(response, 408, "Request header timeout\n");
    asio::error_code ignored;
    loop_.counters().bytes_sent.add(socket_.write_some(asio::buffer(response), ignored));
    loop_.counters().count_rejection(408);
  }
  close();
}

void connection::client_left() {
  disconnected_ = true;
  exchange_.client_gone();
  end_exchange_waits();
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  exchange_.client_gone();  // the app's receive() and send() see the end of the exchange
  asio::error_code ignored;
  socket_.shutdown(stream_socket::shutdown_both, ignored);
  socket_.close(ignored);
  watchdog_timer_.cancel();
  end_exchange_waits();
}

void connection::run_background_flush() {
  if (!flush_requested_) return;
  flush_requested_ = false;
  // Only what the kernel takes now: the request loop writes any rest itself.
  if (!writing_) try_flush();
}

void connection::park_if_idle(clock::time_point now) {
  if (phase_ != phase::idle || park_requested_ || now - idle_since_ < park_delay) return;
  park_requested_ = true;  // read_head() sees its idle read cancelled and parks
  asio::error_code ignored;
  socket_.cancel(ignored);
}

asio::awaitable<void> connection::watchdog() {
  // The connection's three background jobs share one coroutine and one timer (an idle
  // connection's memory is what C10K counts): written out below, one each.
  while (!closed_) {
    run_background_flush();  // 1. pipelined responses, while a slow app runs
    const auto now = clock::now();
    if (deadline_ <= now) {     // 2. the header, body and keep-alive timeouts
      on_timeout();
      co_return;
    }
    park_if_idle(now);          // 3. parking connections idle past park_delay
    // Wake at the deadline, or sooner to notice a deadline that moved closer. The timer
    // runs on steady_clock: it is given a duration, never a coarse_clock time point.
    watchdog_timer_.expires_after(std::min<clock::duration>(deadline_ - now, watchdog_period));
    co_await watchdog_timer_.async_wait(as_result);
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
  }
}

}  // namespace cogi::runtime::detail
