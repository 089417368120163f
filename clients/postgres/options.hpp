#pragma once
// How a program reaches its PostgreSQL database, and the limits its pools keep.

#include <chrono>
#include <string>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi::postgres {

struct options {
  // A libpq connection string or URI ("postgresql://user@host:5432/db?sslmode=disable",
  // "host=/run/postgresql dbname=app"). Whatever it leaves out comes from libpq's own
  // PG* environment variables (PGHOST, PGUSER, PGPASSWORD, ...) and defaults.
  std::string url;
  // Connections per loop. Queries are pipelined, so a few serve many requests; a
  // transaction holds one connection for itself.
  unsigned pool_size = 4;
  // Connecting (and preparing the statements) may take this long.
  std::chrono::milliseconds connect_timeout{5'000};
  // A query waits this long for a usable connection (the database down, or every
  // connection held by a transaction); then it throws postgres::unavailable.
  std::chrono::milliseconds acquire_timeout{2'000};
  // A query waits this long for its answer; then it throws query_timeout and its
  // result, should it come, is discarded.
  std::chrono::milliseconds query_timeout{10'000};
  // The server-side backstop: statement_timeout on every connection, so a statement
  // the client gave up on does not hold its connection's pipeline forever. 0: leave
  // the server's setting.
  std::chrono::milliseconds statement_timeout{11'000};
  // Reconnection waits 50 ms after a failure, doubling up to this.
  std::chrono::milliseconds reconnect_delay_max{1'000};
  // Shown in pg_stat_activity, unless the URL sets application_name.
  std::string application_name = "cogi";

  // `defaults` with COGI_DATABASE_URL and COGI_DB_POOL_SIZE applied when they are set.
  // Throws std::invalid_argument for a malformed pool size.
  static options from_environment(options defaults);
  static options from_environment();

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(url, pool_size, connect_timeout, acquire_timeout, query_timeout, statement_timeout,
                      reconnect_delay_max, application_name)
};

}  // namespace cogi::postgres
