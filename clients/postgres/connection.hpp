#pragma once
// One libpq connection on one loop, in pipeline mode: every query is written behind
// the ones still running, each with its own Sync (so one failing query does not abort
// the others, and queries are never coalesced into one transaction), and results are
// read as they arrive while more queries are written. Nothing here blocks the loop:
// libpq runs non-blocking, and the loop waits on its socket.
//
// The building block of the pools (pool.hpp); handlers use postgres::database.
//
// Each waiting query is a `pending` in its caller's coroutine frame. When the caller
// stops waiting (cancelled, or its deadline passed) the query is abandoned: it stays in
// the pipeline, and its result is read and dropped when it comes, so the connection
// stays in step with the server. A query past its deadline is also cancelled on the
// server, so that the queries behind it go on.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/clients/postgres/options.hpp"
#include "cogi/clients/postgres/params.hpp"
#include "cogi/clients/postgres/result.hpp"
#include "cogi/clients/postgres/statement.hpp"
#include "cogi/server/async/event.hpp"

struct pg_conn;    // libpq's PGconn
struct pg_cancel;  // libpq's PGcancel

namespace cogi::postgres {

// What to send: a prepared statement with parameters, SQL text with parameters, or the
// preparation of a statement.
struct call {
  enum class kind { prepared, text, prepare };
  kind what = kind::text;
  const char* statement_name = nullptr;  // prepared, prepare
  const char* sql = nullptr;             // text, prepare
  param_arrays params;
};

namespace detail {
struct pending {
  async::event done;
  result value;
  std::exception_ptr error;
  bool finished = false;
  std::uint64_t sequence = 0;
};
}  // namespace detail

class connection : public std::enable_shared_from_this<connection> {
 public:
  // Connects without blocking the loop, then prepares `statements` and applies the
  // session settings of `settings` (statement_timeout). Throws unavailable when the
  // server cannot be reached or refuses the connection (or connect_timeout passes),
  // server_error when a statement does not prepare.
  static asio::awaitable<std::shared_ptr<connection>> open(
      const options& settings, std::span<const detail::statement_definition* const> statements);

  connection(asio::any_io_executor executor, pg_conn* native, const options& settings);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Sends `c` into the pipeline and waits for its result. Throws server_error (the
  // statement failed), connection_lost, query_timeout, or the caller's cancellation.
  asio::awaitable<result> run(call c);
  // Sends every call at once and waits for all; the results in order. When any failed,
  // throws the first failure once all have answered.
  asio::awaitable<std::vector<result>> run_all(std::span<const call> calls);
  // Sends `sql` and drops its result unread (ROLLBACK of an abandoned transaction):
  // whatever is sent later runs after it.
  void send_and_forget(const char* sql);

  bool is_open() const { return native_ != nullptr; }
  // Queries sent and not yet answered (abandoned ones included).
  std::size_t in_flight() const { return queue_.size(); }
  // Whether an abandoned query heads the pipeline: whatever is sent now waits for it.
  bool is_stuck() const { return !queue_.empty() && queue_.front().waiter == nullptr; }

  // Closes the connection; queries in flight fail with connection_lost(`why`).
  void close(std::string_view why);
  // Called once when the connection is lost (not when close() is called).
  void on_lost(std::function<void()> callback) { on_lost_ = std::move(callback); }

 private:
  struct entry {
    detail::pending* waiter;  // nullptr once abandoned
    std::chrono::steady_clock::time_point deadline;
    bool results_done = false;  // the NULL after the call's results came; its Sync is next
  };
  class abandon_guard;
  struct outcome {
    result value;
    std::exception_ptr error;
  };

  static asio::awaitable<std::shared_ptr<connection>> connect(
      const options& settings, std::span<const detail::statement_definition* const> statements);
  asio::awaitable<void> prepare(const options& settings,
                                std::span<const detail::statement_definition* const> statements);
  asio::awaitable<std::vector<outcome>> run_each(std::span<const call> calls);
  void follow_socket();
  void start();

  // Writes `c` into libpq's buffer with its Sync and queues `waiter` for its result.
  void submit(const call& c, detail::pending* waiter);
  void abandon(const detail::pending& waiter);
  void schedule_flush();
  void flush();
  void wait_readable();
  void on_readable();
  void read_results();
  void on_result(entry& front, pg_result* r);
  void finish(entry& e, std::exception_ptr error);
  void arm_deadline();
  void on_deadline();
  void cancel_running();
  void lose(std::string_view why);
  void fail_all(const std::exception_ptr& error);
  void release_native();

  asio::any_io_executor executor_;
  pg_conn* native_;
  asio::posix::stream_descriptor socket_;
  asio::steady_timer deadline_timer_;
  std::chrono::milliseconds query_timeout_;
  std::deque<entry> queue_;
  std::uint64_t first_sequence_ = 0;  // of queue_.front()
  std::uint64_t next_sequence_ = 0;
  bool flush_scheduled_ = false;
  bool waiting_writable_ = false;
  bool deadline_armed_ = false;
  std::function<void()> on_lost_;
  std::shared_ptr<pg_cancel> canceller_;  // shared with a cancel request in flight
  std::shared_ptr<std::atomic<bool>> cancel_in_flight_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace cogi::postgres
