#include "cogi/clients/postgres/transaction.hpp"

#include <libpq-fe.h>

namespace cogi::postgres {

transaction::transaction(pool::lease held) : lease_(std::move(held)) {}

transaction::transaction(transaction&& other) noexcept : lease_(std::move(other.lease_)), active_(other.active_) {
  other.active_ = false;
}

transaction::~transaction() {
  // Not ended: rolled back. Pipelined, so it runs before any query sent after the
  // connection is handed back.
  if (active_ && lease_ && lease_.get().is_open()) lease_.get().send_and_forget("ROLLBACK");
}

connection& transaction::checked() {
  if (!active_ || !lease_) throw error("the transaction has ended");
  return lease_.get();
}

asio::awaitable<result> transaction::run_call(call c) {
  connection& held = checked();
  co_return co_await held.run(c);
}

asio::awaitable<std::vector<result>> transaction::run_calls(std::span<const call> calls) {
  connection& held = checked();
  co_return co_await held.run_all(calls);
}

asio::awaitable<void> transaction::commit() {
  connection& held = checked();
  active_ = false;
  const result done = co_await held.run({call::kind::text, nullptr, "COMMIT", {}});
  lease_.release();
  // COMMIT of a transaction in which a statement failed rolls it back, and says so only
  // in its command tag.
  if (std::string_view(PQcmdStatus(const_cast<pg_result*>(done.native()))) == "ROLLBACK") {
    throw error("the transaction was rolled back: a statement in it had failed");
  }
}

asio::awaitable<void> transaction::rollback() {
  connection& held = checked();
  active_ = false;
  co_await held.run({call::kind::text, nullptr, "ROLLBACK", {}});
  lease_.release();
}

}  // namespace cogi::postgres
