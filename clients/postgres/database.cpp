#include "clients/postgres/database.hpp"

#include <stdexcept>

#include <asio/this_coro.hpp>

namespace cogi::postgres {

namespace {

std::atomic<std::uint64_t> next_database_id{1};

// Each thread remembers the pools it used last, so a query finds its loop's pool
// without taking the database's lock. Entries are added and removed on the pool's own
// loop thread (open, close), so they are never stale for that thread.
struct cached_pool {
  std::uint64_t database = 0;
  asio::execution_context* loop = nullptr;
  pool* found = nullptr;
};
thread_local cached_pool pool_cache[4];
thread_local unsigned pool_cache_next = 0;

void forget_cached(std::uint64_t database, asio::execution_context* loop) {
  for (cached_pool& c : pool_cache) {
    if (c.database == database && c.loop == loop) c = {};
  }
}

asio::execution_context* loop_of(const asio::any_io_executor& executor) {
  return &asio::query(executor, asio::execution::context);
}

}  // namespace

database::database(options settings) : settings_(std::move(settings)), id_(next_database_id++) {
  if (settings_.pool_size == 0) throw std::invalid_argument("postgres: the pool size must be at least 1");
}

database::~database() = default;

statement database::prepare(std::string sql) {
  const std::lock_guard lock(mutex_);
  if (sealed_) {
    throw std::logic_error("postgres::database::prepare() after open(): declare every statement before the pools open");
  }
  statements_.push_back({"cogi_" + std::to_string(statements_.size() + 1), std::move(sql)});
  return statement(statements_.back());
}

asio::awaitable<void> database::open() {
  const auto executor = co_await asio::this_coro::executor;
  asio::execution_context* loop = loop_of(executor);
  pool* opening = nullptr;
  {
    const std::lock_guard lock(mutex_);
    for (const loop_pool& p : pools_) {
      if (p.loop == loop) throw std::logic_error("postgres::database::open(): already open on this loop");
    }
    sealed_ = true;
    std::vector<const detail::statement_definition*> statements;
    for (const detail::statement_definition& s : statements_) statements.push_back(&s);
    pools_.push_back({loop, std::make_unique<pool>(executor, settings_, std::move(statements))});
    opening = pools_.back().opened.get();
  }
  std::exception_ptr failure;
  try {
    co_await opening->open();
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    co_await close();
    std::rethrow_exception(failure);
  }
}

asio::awaitable<void> database::close() {
  const auto executor = co_await asio::this_coro::executor;
  asio::execution_context* loop = loop_of(executor);
  std::unique_ptr<pool> closing;
  {
    const std::lock_guard lock(mutex_);
    for (auto it = pools_.begin(); it != pools_.end(); ++it) {
      if (it->loop != loop) continue;
      closing = std::move(it->opened);
      pools_.erase(it);
      break;
    }
  }
  forget_cached(id_, loop);
  if (closing) closing->close();
}

pool& database::local_pool(const asio::any_io_executor& executor) {
  asio::execution_context* loop = loop_of(executor);
  for (const cached_pool& c : pool_cache) {
    if (c.database == id_ && c.loop == loop) return *c.found;
  }
  const std::lock_guard lock(mutex_);
  for (const loop_pool& p : pools_) {
    if (p.loop != loop) continue;
    pool_cache[pool_cache_next++ % std::size(pool_cache)] = {id_, loop, p.opened.get()};
    return *p.opened;
  }
  throw std::logic_error(
      "postgres::database: no pool on this loop; await db.open() in the app's startup hook (docs/postgres.md)");
}

asio::awaitable<result> database::run_call(call c) {
  pool& local = local_pool(co_await asio::this_coro::executor);
  const std::shared_ptr<connection> connection = co_await local.shared();
  co_return co_await connection->run(c);
}

asio::awaitable<std::vector<result>> database::run_calls(std::span<const call> calls) {
  pool& local = local_pool(co_await asio::this_coro::executor);
  const std::shared_ptr<connection> connection = co_await local.shared();
  co_return co_await connection->run_all(calls);
}

asio::awaitable<postgres::transaction> database::begin() {
  pool& local = local_pool(co_await asio::this_coro::executor);
  pool::lease held = co_await local.exclusive();
  co_await held.get().run({call::kind::text, nullptr, "BEGIN", {}});
  co_return postgres::transaction(std::move(held));
}

asio::awaitable<pool_stats> database::stats() {
  co_return local_pool(co_await asio::this_coro::executor).stats();
}

}  // namespace cogi::postgres
