#include "cogi/clients/postgres/connection.hpp"

#include <cstring>
#include <string>

#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <libpq-fe.h>

#include "cogi/server/async/blocking_pool.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi::postgres {

namespace {

std::string native_error(const PGconn* native) {
  std::string message = PQerrorMessage(native);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message.empty() ? "unknown libpq error" : message;
}

std::string result_field(const PGresult* r, int code) {
  const char* value = PQresultErrorField(r, code);
  return value != nullptr ? value : "";
}

// A session-ending error (the backend is going away: shutdown, pg_terminate_backend).
bool ends_session(const PGresult* r) {
  const std::string severity = result_field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  return severity == "FATAL" || severity == "PANIC";
}

std::exception_ptr server_error_of(const PGresult* r) {
  std::string sqlstate = result_field(r, PG_DIAG_SQLSTATE);
  std::string message = result_field(r, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = PQresultErrorMessage(r);
  return std::make_exception_ptr(server_error(std::move(sqlstate), std::move(message), result_field(r, PG_DIAG_MESSAGE_DETAIL)));
}

// Notices (e.g. "there is no transaction in progress") go to the log, not to stderr.
void log_notice(void*, const char* message) {
  if (log::enabled(log::level::debug)) log::debug(std::string("postgres: ") + message);
}

}  // namespace

// Abandons the waiter's query when the waiting coroutine leaves early (cancelled, or an
// exception thrown past it): the pipeline keeps the query and drops its result.
class connection::abandon_guard {
 public:
  abandon_guard(connection& owner, detail::pending& waiter) : owner_(owner), waiter_(waiter) {}
  ~abandon_guard() {
    if (!waiter_.finished) owner_.abandon(waiter_);
  }
  abandon_guard(const abandon_guard&) = delete;
  abandon_guard& operator=(const abandon_guard&) = delete;

 private:
  connection& owner_;
  detail::pending& waiter_;
};

connection::connection(asio::any_io_executor executor, pg_conn* native, const options& settings)
    : executor_(std::move(executor)),
      native_(native),
      socket_(executor_),
      deadline_timer_(executor_),
      query_timeout_(settings.query_timeout) {}

connection::~connection() { release_native(); }

asio::awaitable<std::shared_ptr<connection>> connection::open(
    const options& settings, std::span<const detail::statement_definition* const> statements) {
  try {
    co_return co_await async::wait_for(connect(settings, statements), settings.connect_timeout);
  } catch (const async::timeout_error&) {
    throw unavailable("no connection within " + std::to_string(settings.connect_timeout.count()) + " ms");
  }
}

asio::awaitable<std::shared_ptr<connection>> connection::connect(
    const options& settings, std::span<const detail::statement_definition* const> statements) {
  const char* keywords[] = {"fallback_application_name", "dbname", nullptr};
  const char* values[] = {settings.application_name.c_str(), settings.url.empty() ? nullptr : settings.url.c_str(),
                          nullptr};
  PGconn* native = PQconnectStartParams(keywords, values, 1);
  if (native == nullptr) throw std::bad_alloc();
  auto self = std::make_shared<connection>(co_await asio::this_coro::executor, native, settings);
  if (PQstatus(native) == CONNECTION_BAD) throw unavailable(native_error(native));

  // libpq's connection state machine: wait for what it asks for, then poll again. It may
  // close its socket and open another (one host after another, SSL then not), so the
  // descriptor is looked up afresh after every step.
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  for (;;) {
    self->follow_socket();
    if (status == PGRES_POLLING_OK) break;
    if (status == PGRES_POLLING_FAILED) throw unavailable(native_error(native));
    const auto direction = status == PGRES_POLLING_READING ? asio::posix::stream_descriptor::wait_read
                                                           : asio::posix::stream_descriptor::wait_write;
    co_await self->socket_.async_wait(direction, asio::use_awaitable);
    status = PQconnectPoll(native);
  }
  if (PQsetnonblocking(native, 1) != 0 || PQenterPipelineMode(native) != 1) throw unavailable(native_error(native));
  PQsetNoticeProcessor(native, log_notice, nullptr);
  self->canceller_ = std::shared_ptr<PGcancel>(PQgetCancel(native), PQfreeCancel);
  self->start();
  // From here the reader holds the connection too: a failure must close it.
  std::exception_ptr failure;
  try {
    co_await self->prepare(settings, statements);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    self->close("the connection could not be set up");
    std::rethrow_exception(failure);
  }
  co_return self;
}

// The session's settings and the statements, pipelined; each must succeed.
asio::awaitable<void> connection::prepare(const options& settings,
                                          std::span<const detail::statement_definition* const> statements) {
  std::vector<call> setup;
  std::string timeout_sql;
  if (settings.statement_timeout.count() > 0) {
    timeout_sql = "SET statement_timeout = " + std::to_string(settings.statement_timeout.count());
    setup.push_back({call::kind::text, nullptr, timeout_sql.c_str(), {}});
  }
  for (const detail::statement_definition* s : statements) {
    setup.push_back({call::kind::prepare, s->name.c_str(), s->sql.c_str(), {}});
  }
  std::vector<outcome> outcomes = co_await run_each(setup);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].error) continue;
    try {
      std::rethrow_exception(outcomes[i].error);
    } catch (const server_error& e) {
      // Which statement failed is what the programmer needs to know.
      throw server_error(e.sqlstate(), e.message() + " (preparing \"" + std::string(setup[i].sql) + "\")", e.detail());
    }
  }
}

void connection::follow_socket() {
  if (socket_.is_open()) socket_.release();
  const int fd = PQsocket(native_);
  if (fd >= 0) socket_.assign(fd);
}

void connection::start() {
  wait_readable();
}

void connection::submit(const call& c, detail::pending* waiter) {
  if (native_ == nullptr) throw connection_lost("the connection is closed");
  int sent = 0;
  switch (c.what) {
    case call::kind::prepared:
      sent = PQsendQueryPrepared(native_, c.statement_name, c.params.count, c.params.values, c.params.lengths,
                                 c.params.formats, 1);
      break;
    case call::kind::text:
      sent = PQsendQueryParams(native_, c.sql, c.params.count, nullptr, c.params.values, c.params.lengths,
                               c.params.formats, 1);
      break;
    case call::kind::prepare:
      sent = PQsendPrepare(native_, c.statement_name, c.sql, 0, nullptr);
      break;
  }
  if (sent != 1 || PQpipelineSync(native_) != 1) {
    const std::string why = native_error(native_);
    lose(why);
    throw connection_lost(why);
  }
  if (waiter != nullptr) waiter->sequence = next_sequence_;
  if (queue_.empty()) first_sequence_ = next_sequence_;
  ++next_sequence_;
  queue_.push_back({waiter, std::chrono::steady_clock::now() + query_timeout_});
  arm_deadline();
  schedule_flush();
}

asio::awaitable<result> connection::run(call c) {
  const auto keep_alive = shared_from_this();
  detail::pending waiter;
  submit(c, &waiter);
  const abandon_guard guard(*this, waiter);
  co_await waiter.done.wait();
  if (waiter.error) std::rethrow_exception(waiter.error);
  co_return std::move(waiter.value);
}

asio::awaitable<std::vector<connection::outcome>> connection::run_each(std::span<const call> calls) {
  const auto keep_alive = shared_from_this();
  // Waiters never move (the queue points at them): a fixed array, not a vector.
  const auto waiters = std::make_unique<detail::pending[]>(calls.size());
  struct abandon_all {
    connection& owner;
    std::span<detail::pending> waiters;
    ~abandon_all() {
      for (auto& w : waiters) {
        if (!w.finished) owner.abandon(w);
      }
    }
  };
  const abandon_all guard{*this, std::span<detail::pending>(waiters.get(), calls.size())};
  for (std::size_t i = 0; i < calls.size(); ++i) submit(calls[i], &waiters[i]);
  std::vector<outcome> outcomes(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    co_await waiters[i].done.wait();
    outcomes[i].value = std::move(waiters[i].value);
    outcomes[i].error = waiters[i].error;
  }
  co_return outcomes;
}

asio::awaitable<std::vector<result>> connection::run_all(std::span<const call> calls) {
  std::vector<outcome> outcomes = co_await run_each(calls);
  std::vector<result> results;
  results.reserve(outcomes.size());
  for (outcome& o : outcomes) {
    if (o.error) std::rethrow_exception(o.error);
    results.push_back(std::move(o.value));
  }
  co_return results;
}

void connection::send_and_forget(const char* sql) {
  if (native_ == nullptr) return;
  submit({call::kind::text, nullptr, sql, {}}, nullptr);
}

void connection::abandon(const detail::pending& waiter) {
  if (waiter.sequence < first_sequence_) return;
  const std::size_t index = waiter.sequence - first_sequence_;
  if (index < queue_.size() && queue_[index].waiter == &waiter) queue_[index].waiter = nullptr;
}

// Queries sent in one turn of the loop leave in one write: the flush runs after the
// handlers that are ready have had their turn.
void connection::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  asio::post(executor_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void connection::flush() {
  if (native_ == nullptr) return;
  const int flushed = PQflush(native_);
  if (flushed < 0) return lose(native_error(native_));
  if (flushed == 1 && !waiting_writable_) {
    // The socket's buffer is full: the rest goes when it drains (meanwhile the reader
    // keeps reading, which is what lets the server go on).
    waiting_writable_ = true;
    socket_.async_wait(asio::posix::stream_descriptor::wait_write, [self = shared_from_this()](std::error_code ec) {
      self->waiting_writable_ = false;
      if (!ec) self->flush();
    });
  }
}

void connection::wait_readable() {
  socket_.async_wait(asio::posix::stream_descriptor::wait_read, [self = shared_from_this()](std::error_code ec) {
    if (!ec && self->native_ != nullptr) self->on_readable();
  });
}

void connection::on_readable() {
  if (PQconsumeInput(native_) == 0) return lose(native_error(native_));
  read_results();
  if (native_ == nullptr) return;
  while (PGnotify* n = PQnotifies(native_)) PQfreemem(n);
  if (PQstatus(native_) == CONNECTION_BAD) return lose(native_error(native_));
  if (!waiting_writable_) flush();  // reading may have let libpq's pending output go
  if (native_ != nullptr) wait_readable();
}

void connection::read_results() {
  // Each call's results, then a NULL, then its Sync. PQgetResult is only called when it
  // will not block (PQisBusy) and only while a call is expected: on an idle connection it
  // would return NULL forever.
  while (native_ != nullptr && !queue_.empty() && PQisBusy(native_) == 0) {
    entry& front = queue_.front();
    PGresult* r = PQgetResult(native_);
    if (r == nullptr) {
      front.results_done = true;
      continue;
    }
    on_result(front, r);
  }
}

void connection::on_result(entry& front, pg_result* r) {
  const ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_PIPELINE_SYNC) {
    PQclear(r);
    detail::pending* waiter = front.waiter;
    queue_.pop_front();
    ++first_sequence_;
    if (waiter != nullptr) {
      waiter->finished = true;
      waiter->done.set();
    }
    return;
  }
  if (status == PGRES_FATAL_ERROR && ends_session(r)) {
    std::string why = result_field(r, PG_DIAG_MESSAGE_PRIMARY);
    PQclear(r);
    return lose(why.empty() ? "the server ended the session" : why);
  }
  result owned(r);
  if (front.waiter == nullptr) return;  // abandoned: dropped
  switch (status) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      front.waiter->value = std::move(owned);
      break;
    case PGRES_FATAL_ERROR:
      front.waiter->error = server_error_of(r);
      break;
    case PGRES_PIPELINE_ABORTED:
      front.waiter->error = std::make_exception_ptr(error("the statement was not run: an earlier one in its pipeline failed"));
      break;
    default:
      front.waiter->error = std::make_exception_ptr(
          error(std::string("unsupported result status ") + PQresStatus(status) + " (COPY is not supported)"));
      break;
  }
}

void connection::arm_deadline() {
  if (deadline_armed_) return;
  for (const entry& e : queue_) {
    if (e.waiter == nullptr) continue;
    deadline_armed_ = true;
    deadline_timer_.expires_at(e.deadline);
    deadline_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
      self->deadline_armed_ = false;
      if (!ec) self->on_deadline();
    });
    return;
  }
}

// Queries whose deadline passed are abandoned and their callers told. One timer serves
// the whole pipeline: deadlines follow the sending order, so it waits for the oldest.
void connection::on_deadline() {
  const auto now = std::chrono::steady_clock::now();
  for (entry& e : queue_) {
    if (e.waiter == nullptr) continue;
    if (e.deadline > now) break;
    if (&e == &queue_.front()) cancel_running();
    detail::pending* waiter = e.waiter;
    e.waiter = nullptr;
    waiter->error = std::make_exception_ptr(query_timeout());
    waiter->finished = true;
    waiter->done.set();
  }
  arm_deadline();
}

// Asks the server to stop the statement it is running (the timed-out one at the head
// of the pipeline), so that the queries behind it need not wait for it. libpq's cancel
// request opens a connection of its own and blocks: it runs on the blocking pool. One
// at a time per connection. Should the statement end just before the request arrives,
// the request may stop the next one instead (it then fails with SQLSTATE 57014): the
// price of not waiting, paid only after a timeout.
void connection::cancel_running() {
  if (!canceller_ || cancel_in_flight_->exchange(true)) return;
  async::blocking_pool::shared().post([canceller = canceller_, busy = cancel_in_flight_] {
    char error[256];
    PQcancel(canceller.get(), error, sizeof error);
    busy->store(false);
  });
}

void connection::lose(std::string_view why) {
  if (native_ == nullptr) return;
  fail_all(std::make_exception_ptr(connection_lost(why)));
  release_native();
  if (auto callback = std::move(on_lost_)) callback();
}

void connection::close(std::string_view why) {
  on_lost_ = nullptr;
  if (native_ == nullptr) return;
  fail_all(std::make_exception_ptr(connection_lost(why)));
  release_native();
}

void connection::fail_all(const std::exception_ptr& error) {
  std::deque<entry> failed;
  failed.swap(queue_);
  first_sequence_ = next_sequence_;
  for (entry& e : failed) {
    if (e.waiter == nullptr) continue;
    e.waiter->error = error;
    e.waiter->finished = true;
    e.waiter->done.set();
  }
}

// The descriptor belongs to libpq: released from Asio (which stops watching it) before
// PQfinish closes it.
void connection::release_native() {
  std::error_code ignored;
  deadline_timer_.cancel();
  if (socket_.is_open()) {
    socket_.cancel(ignored);
    socket_.release();
  }
  if (native_ != nullptr) {
    PQfinish(native_);
    native_ = nullptr;
  }
}

}  // namespace cogi::postgres
