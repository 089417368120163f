#pragma once
// PostgreSQL for handlers: one `database` per program, a pool of pipelined connections
// on each loop (pool.hpp), typed queries (queries.hpp), transactions (transaction.hpp).
// docs/postgres.md tells the whole story.
//
//   struct world { int id; int randomnumber; };
//
//   postgres::database db(postgres::options::from_environment());
//   const postgres::statement world_by_id = db.prepare("SELECT id, randomnumber FROM world WHERE id = $1");
//
//   app.on_startup([&db](cogi::state_map&) { return db.open(); });    // each loop's pool
//   app.on_shutdown([&db](cogi::state_map&) { return db.close(); });
//   app.get("/db", [&](cogi::request&) -> cogi::task<> {
//     const world w = co_await db.query_one<world>(world_by_id, 42);
//     ...
//   });
//
// A query runs on the calling loop's pool, which open() created on that loop: no lock
// and no thread hop on the way (server/async/per_loop.hpp). Failures are typed (error.hpp): postgres::unavailable is
// the one to answer with 503.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/execution_context.hpp>

#include "cogi/clients/postgres/options.hpp"
#include "cogi/clients/postgres/pool.hpp"
#include "cogi/clients/postgres/queries.hpp"
#include "cogi/clients/postgres/statement.hpp"
#include "cogi/clients/postgres/transaction.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/per_loop.hpp"
#include "cogi/server/async/run_blocking.hpp"

namespace cogi::postgres {

class database : public query_methods<database> {
 public:
  explicit database(options settings);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  // Declares a statement, prepared on every connection the pools open. Declare them all
  // before the first open(): afterwards this throws std::logic_error.
  statement prepare(std::string sql);

  // Opens the calling loop's pool (in the app's startup hook, which runs on every loop).
  // Throws when no connection can be opened (unavailable), or a statement does not
  // prepare (server_error): the program should not start serving then.
  asio::awaitable<void> open();
  // Closes the calling loop's pool (in the shutdown hook).
  asio::awaitable<void> close();

  // A transaction on a connection of this loop's pool, held until it ends.
  asio::awaitable<postgres::transaction> begin();

  // Runs fn(transaction&) -> asio::awaitable<R> in a transaction: committed when fn
  // returns, rolled back when it throws (and the exception passed on). Returns fn's result.
  template <class F>
  auto transaction(F&& fn) {
    static_assert(!async::detail::destroyed_twice_if_temporary<F>,
                  "GCC 12 destroys a lambda with non-trivial captures written inside co_await twice "
                  "(docs/compilers.md): capture by reference ([&]) or name the lambda first");
    return run_transaction(std::decay_t<F>(std::forward<F>(fn)));
  }

  // The calling loop's pool, as it is now.
  asio::awaitable<pool_stats> stats();
  const options& settings() const { return settings_; }

 private:
  friend class query_methods<database>;
  asio::awaitable<result> run_call(call c);
  asio::awaitable<std::vector<result>> run_calls(std::span<const call> calls);
  pool& local_pool(const asio::any_io_executor& executor);

  template <class F>
  asio::awaitable<typename std::invoke_result_t<F&, postgres::transaction&>::value_type> run_transaction(F fn);

  const options settings_;
  std::mutex mutex_;  // guards the statements
  std::deque<detail::statement_definition> statements_;
  bool sealed_ = false;
  async::per_loop<pool> pools_;
};

template <class F>
asio::awaitable<typename std::invoke_result_t<F&, postgres::transaction&>::value_type> database::run_transaction(F fn) {
  using value = typename std::invoke_result_t<F&, postgres::transaction&>::value_type;
  postgres::transaction tx = co_await begin();
  std::exception_ptr failure;
  std::optional<std::conditional_t<std::is_void_v<value>, bool, value>> outcome;
  try {
    if constexpr (std::is_void_v<value>) {
      co_await fn(tx);
    } else {
      outcome.emplace(co_await fn(tx));
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    // Rolled back before the exception goes on, so the caller sees the database as it was.
    // When that cannot be awaited (the handler is cancelled), tx's destructor sends it.
    if (tx.is_active() && !async::is_cancellation(failure)) {
      try {
        co_await tx.rollback();
      } catch (...) {
      }
    }
    std::rethrow_exception(failure);
  }
  if (tx.is_active()) co_await tx.commit();  // unless fn ended it itself
  if constexpr (!std::is_void_v<value>) co_return std::move(*outcome);
}

}  // namespace cogi::postgres
