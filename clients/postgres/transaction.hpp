#pragma once
// A transaction: one connection held for its queries until commit() or rollback().
// Begun with database::begin(), or run as a whole with database::transaction():
//
//   co_await db.transaction([&](postgres::transaction& tx) -> asio::awaitable<void> {
//     co_await tx.execute(debit, from, amount);
//     co_await tx.execute(credit, to, amount);
//   });  // committed; rolled back if the function throws
//
// A transaction left without commit() or rollback() (an exception, a cancelled handler)
// is rolled back: the ROLLBACK goes down its connection before anyone else may use it.

#include <span>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/clients/postgres/pool.hpp"
#include "cogi/clients/postgres/queries.hpp"

namespace cogi::postgres {

class transaction : public query_methods<transaction> {
 public:
  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&&) = delete;
  ~transaction();

  // Ends the transaction. commit() throws server_error when the server refuses (a
  // deferred constraint, a serialization failure), and error when the transaction had
  // already failed (PostgreSQL then rolls it back instead).
  asio::awaitable<void> commit();
  asio::awaitable<void> rollback();
  // Until commit() or rollback().
  bool is_active() const { return active_; }

 private:
  friend class database;
  friend class query_methods<transaction>;
  explicit transaction(pool::lease held);
  asio::awaitable<result> run_call(call c);
  asio::awaitable<std::vector<result>> run_calls(std::span<const call> calls);
  connection& checked();

  pool::lease lease_;
  bool active_ = true;
};

}  // namespace cogi::postgres
