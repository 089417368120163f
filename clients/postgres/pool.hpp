#pragma once
// A loop's connections to one database (database.hpp keeps one pool per loop). Used
// from its loop's thread only, so it takes no lock.
//
// Queries share connections: each goes to the open connection with the fewest queries
// in flight, behind them in its pipeline. A transaction holds a connection for itself
// (a lease) until it ends. A connection that breaks fails its queries at once
// (connection_lost) and is replaced in the background, retrying 50 ms after a failure
// and doubling up to options::reconnect_delay_max. A query that finds no usable
// connection waits up to options::acquire_timeout, then throws unavailable; while the
// database is known to be down (no connection open, the latest attempt failed) it
// throws at once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include "cogi/clients/postgres/connection.hpp"
#include "cogi/clients/postgres/options.hpp"
#include "cogi/clients/postgres/statement.hpp"

namespace cogi::postgres {

struct pool_stats {
  std::size_t open = 0;          // connections ready now
  std::size_t held = 0;          // of them, held by a transaction
  std::uint64_t connects = 0;    // connections opened, ever
  std::uint64_t losses = 0;      // connections lost, ever
};

class pool {
  struct state;

 public:
  pool(asio::any_io_executor executor, options settings, std::vector<const detail::statement_definition*> statements);
  ~pool();
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;

  // Starts connecting every connection; returns once one is ready (the others follow in
  // the background). When none can be opened, throws the reason (unavailable, or the
  // server_error of a statement that does not prepare) and stops.
  asio::awaitable<void> open();
  // Closes every connection (their queries fail with connection_lost) and stops
  // reconnecting.
  void close();

  // A connection to send one query on.
  asio::awaitable<std::shared_ptr<connection>> shared();

  // A connection held for one caller until the lease ends (a transaction's).
  class lease {
   public:
    lease() = default;
    lease(lease&& other) noexcept;
    lease& operator=(lease&& other) noexcept;
    ~lease();
    connection& get() const { return *connection_; }
    explicit operator bool() const { return connection_ != nullptr; }
    void release();

   private:
    friend class pool;
    lease(std::shared_ptr<state> owner, std::size_t slot, std::shared_ptr<connection> held);
    std::shared_ptr<state> owner_;
    std::size_t slot_ = 0;
    std::shared_ptr<connection> connection_;
  };
  asio::awaitable<lease> exclusive();

  pool_stats stats() const;

 private:
  static asio::awaitable<void> keep_connected(std::shared_ptr<state> s, std::size_t slot);
  static void start_connecting(const std::shared_ptr<state>& s, std::size_t slot);
  asio::awaitable<void> wait_for_connection(std::chrono::steady_clock::time_point deadline);

  std::shared_ptr<state> state_;
};

}  // namespace cogi::postgres
