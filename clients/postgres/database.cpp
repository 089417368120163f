#include "cogi/clients/postgres/database.hpp"

#include <stdexcept>

#include <asio/this_coro.hpp>

namespace cogi::postgres {

namespace {

asio::execution_context& loop_of(const asio::any_io_executor& executor) {
  return asio::query(executor, asio::execution::context);
}

}  // namespace

database::database(options settings) : settings_(std::move(settings)) {
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
  std::vector<const detail::statement_definition*> statements;
  {
    const std::lock_guard lock(mutex_);
    sealed_ = true;
    for (const detail::statement_definition& s : statements_) statements.push_back(&s);
  }
  pool* opening = nullptr;
  try {
    opening = &pools_.emplace(loop_of(executor), executor, settings_, std::move(statements));
  } catch (const std::logic_error&) {
    throw std::logic_error("postgres::database::open(): already open on this loop");
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
  if (const std::unique_ptr<pool> closing = pools_.erase(loop_of(executor))) closing->close();
}

pool& database::local_pool(const asio::any_io_executor& executor) {
  if (pool* found = pools_.find(loop_of(executor))) return *found;
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
