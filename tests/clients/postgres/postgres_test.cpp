// cogi::postgres against a real PostgreSQL 15 (tests/support/test_services.hpp): types,
// errors, pipelining, batches, transactions, timeouts, cancellation, the pool's limits,
// and the faults a production client meets (a backend killed, the server restarted).

#include "cogi/clients/postgres/database.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/run_blocking.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/task.hpp"
#include "tests/support/test_services.hpp"
#include "tests/support/with_open.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::postgres {
namespace {

using namespace std::chrono_literals;
using testing::scaled;

options test_options(unsigned pool_size = 2) {
  options o;
  o.url = cogi::testing::services().database_url;
  o.pool_size = pool_size;
  o.connect_timeout = scaled(10s);
  o.acquire_timeout = scaled(5s);
  o.query_timeout = scaled(10s);
  return o;
}

struct world {
  int id;
  int randomnumber;
};

struct everything {
  std::int16_t small;
  std::int32_t normal;
  std::int64_t big;
  double real;
  float single;
  bool flag;
  std::string text;
  bytea bytes;
  std::optional<int> missing;
  std::optional<std::string> present;
};

TEST(Postgres, EveryTypeRoundTrips) {
  database db(test_options());
  const statement echo = db.prepare(
      "SELECT $1::int2, $2::int4, $3::int8, $4::float8, $5::float4, $6::bool, $7::text, $8::bytea, $9::int4, $10::varchar");
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const bytea blob{std::byte{0}, std::byte{0xff}, std::byte{'\n'}, std::byte{'\\'}};
    const std::string text = "héllo, 'world' \"\\\n";
    const everything e = co_await db.query_one<everything>(
        echo, std::int16_t{-32768}, 2147483647, std::int64_t{-9223372036854775807LL - 1}, 0.1, 1.5f, true, text, blob,
        std::optional<int>(), std::optional<std::string>("x"));
    EXPECT_EQ(e.small, -32768);
    EXPECT_EQ(e.normal, 2147483647);
    EXPECT_EQ(e.big, -9223372036854775807LL - 1);
    EXPECT_EQ(e.real, 0.1);
    EXPECT_EQ(e.single, 1.5f);
    EXPECT_TRUE(e.flag);
    EXPECT_EQ(e.text, text);
    EXPECT_EQ(e.bytes, blob);
    EXPECT_FALSE(e.missing.has_value());
    EXPECT_EQ(e.present, "x");

    // The same through unprepared SQL text, into a tuple.
    const auto [n, s, nothing] = co_await db.query_one<std::tuple<long, std::string, std::optional<double>>>(
        "SELECT $1::int8 * 2, upper($2), NULL::float8", 21, "abc");
    EXPECT_EQ(n, 42);
    EXPECT_EQ(s, "ABC");
    EXPECT_FALSE(nothing.has_value());

    const bytea empty = co_await db.query_one<bytea>("SELECT $1::bytea", bytea{});
    EXPECT_TRUE(empty.empty());
    const std::string json = co_await db.query_one<std::string>("SELECT '{\"a\": 1}'::jsonb");
    EXPECT_EQ(json, "{\"a\": 1}");
  });
}

TEST(Postgres, RowsComeBackAsAggregatesVectorsAndOptionals) {
  database db(test_options());
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const std::vector<world> rows =
        co_await db.query<world>("SELECT g, g * 10 FROM generate_series(1, $1) AS g ORDER BY g", 5);
    EXPECT_EQ(rows.size(), 5u);
    if (rows.size() != 5u) co_return;
    EXPECT_EQ(rows[4].id, 5);
    EXPECT_EQ(rows[4].randomnumber, 50);
    const std::optional<world> none = co_await db.query_optional<world>("SELECT 1, 2 WHERE false");
    EXPECT_FALSE(none.has_value());
    EXPECT_THROW(co_await db.query_one<world>("SELECT 1, 2 WHERE false"), row_count_error);
    EXPECT_THROW(co_await db.query_one<world>("SELECT 1, 2, 3"), decode_error);  // 3 columns, 2 members
    EXPECT_THROW(co_await db.query_one<int>("SELECT NULL::int"), decode_error);
    EXPECT_THROW(co_await db.query_one<std::int16_t>("SELECT 100000"), decode_error);  // out of range
    EXPECT_THROW(co_await db.query_one<int>("SELECT 'text'::text"), decode_error);
    EXPECT_THROW(co_await db.query_one<std::string>("SELECT 1.5::numeric"), decode_error);
    try {
      co_await db.query_one<int>("SELECT NULL::int AS nothing");
      ADD_FAILURE() << "no decode_error";
    } catch (const decode_error& e) {
      EXPECT_NE(std::string(e.what()).find("\"nothing\""), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("std::optional"), std::string::npos) << e.what();
    }
  });
}

TEST(Postgres, ServerErrorsCarrySqlstateAndTheConnectionGoesOn) {
  database db(test_options(1));
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    co_await db.execute("CREATE TEMP TABLE users (name text PRIMARY KEY)");
    EXPECT_EQ(co_await db.execute("INSERT INTO users VALUES ($1), ($2)", "ada", "bob"), 2u);
    try {
      co_await db.execute("INSERT INTO users VALUES ($1)", "ada");
      ADD_FAILURE() << "a duplicate key was accepted";
    } catch (const server_error& e) {
      EXPECT_TRUE(e.is_unique_violation()) << e.what();
      EXPECT_EQ(e.sqlstate(), "23505");
      EXPECT_NE(e.detail().find("ada"), std::string::npos) << e.detail();
    }
    try {
      co_await db.run("SELEC 1");
      ADD_FAILURE() << "a syntax error was accepted";
    } catch (const server_error& e) {
      EXPECT_EQ(e.sqlstate(), "42601");
    }
    // The same connection (pool of 1) answers the next query correctly.
    EXPECT_EQ(co_await db.query_one<long>("SELECT count(*) FROM users"), 2);
  });
}

TEST(Postgres, ConcurrentQueriesOnOneConnectionEachGetTheirOwnAnswer) {
  database db(test_options(1));
  const statement echo = db.prepare("SELECT $1::int4, md5($1::text)");
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    std::vector<asio::awaitable<std::tuple<int, std::string>>> queries;
    for (int i = 0; i < 500; ++i) queries.push_back(db.query_one<std::tuple<int, std::string>>(echo, i));
    const std::vector<std::tuple<int, std::string>> answers = co_await async::gather(std::move(queries));
    for (int i = 0; i < 500; ++i) {
      EXPECT_EQ(std::get<0>(answers[i]), i);
      EXPECT_EQ(std::get<1>(answers[i]).size(), 32u);
    }
    // They shared the one connection: pipelined, not queued one by one.
    const pool_stats stats = co_await db.stats();
    EXPECT_EQ(stats.connects, 1u);
    (void)executor;
  });
}

TEST(Postgres, ABatchIsPipelinedAndOneFailureDoesNotStopTheOthers) {
  database db(test_options(1));
  const statement square = db.prepare("SELECT $1::int4 * $1::int4");
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    batch squares;
    for (int i = 1; i <= 20; ++i) squares.add(square, i);
    const std::vector<result> results = co_await db.run(squares);
    EXPECT_EQ(results.size(), 20u);
    if (results.size() != 20u) co_return;
    for (int i = 1; i <= 20; ++i) EXPECT_EQ(results[i - 1].one<int>(), i * i);

    batch mixed;
    mixed.add("SELECT 1").add("SELECT 1/0").add("SELECT 3");
    EXPECT_THROW(co_await db.run(mixed), server_error);
    EXPECT_EQ(co_await db.query_one<int>("SELECT 4"), 4);
  });
}

TEST(Postgres, TransactionsCommitAndRollBack) {
  database db(test_options(2));
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    co_await db.execute("CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, balance int)");
    co_await db.execute("TRUNCATE accounts");
    co_await db.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)");

    co_await db.transaction([&](transaction& tx) -> asio::awaitable<void> {
      co_await tx.execute("UPDATE accounts SET balance = balance - 30 WHERE id = 1");
      co_await tx.execute("UPDATE accounts SET balance = balance + 30 WHERE id = 2");
    });
    EXPECT_EQ(co_await db.query_one<int>("SELECT balance FROM accounts WHERE id = 2"), 30);

    // An exception rolls back.
    EXPECT_THROW(co_await db.transaction([&](transaction& tx) -> asio::awaitable<void> {
      co_await tx.execute("UPDATE accounts SET balance = 0");
      throw std::runtime_error("changed my mind");
    }),
                 std::runtime_error);
    EXPECT_EQ(co_await db.query_one<int>("SELECT balance FROM accounts WHERE id = 1"), 70);

    // A value comes back from a committed transaction.
    const int total = co_await db.transaction([&](transaction& tx) -> asio::awaitable<int> {
      co_return co_await tx.query_one<int>("SELECT sum(balance)::int4 FROM accounts");
    });
    EXPECT_EQ(total, 100);

    // A transaction dropped without commit is rolled back before its connection serves
    // anyone else.
    {
      transaction tx = co_await db.begin();
      co_await tx.execute("DELETE FROM accounts");
    }
    EXPECT_EQ(co_await db.query_one<long>("SELECT count(*) FROM accounts"), 2);

    // A failed statement aborts the transaction: COMMIT cannot make it succeed.
    transaction tx = co_await db.begin();
    EXPECT_THROW(co_await tx.execute("INSERT INTO accounts VALUES (1, 0)"), server_error);
    EXPECT_THROW(co_await tx.commit(), error);
    EXPECT_FALSE(tx.is_active());
  });
}

TEST(Postgres, AQueryPastItsTimeoutIsAbandonedAndTheConnectionStaysInStep) {
  options o = test_options(1);
  o.query_timeout = scaled(300ms);
  database db(o);
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    // Far longer than the timeout, whatever the build's time scale (the cancel request
    // sent at the timeout ends it early).
    const double sleep_s = 10.0 * std::chrono::duration<double>(o.query_timeout).count();
    EXPECT_THROW(co_await db.query_one<std::string>("SELECT pg_sleep($1)::text", sleep_s), query_timeout);
    // The abandoned query's late answer is dropped, not given to the next query.
    EXPECT_EQ(co_await db.query_one<std::string>("SELECT 'next'"), "next");
  });
}

TEST(Postgres, ACancelledHandlerLeavesTheConnectionUsable) {
  database db(test_options(1));
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    async::task<std::string> slow = async::spawn(executor, db.query_one<std::string>("SELECT pg_sleep(1)::text || 'slow'"));
    // Queued behind it on the same connection.
    async::task<int> behind = async::spawn(executor, db.query_one<int>("SELECT 7"));
    // Their turns on the loop: each sends its query without waiting for anything.
    for (int turn = 0; turn < 3; ++turn) co_await asio::post(executor, asio::use_awaitable);
    slow.cancel();
    EXPECT_THROW(co_await slow.result(), async::task_cancelled);
    EXPECT_EQ(co_await behind.result(), 7);
    EXPECT_EQ(co_await db.query_one<std::string>("SELECT 'after'"), "after");
  });
}

TEST(Postgres, TheServerSideStatementTimeoutIsTheBackstop) {
  options o = test_options(1);
  o.statement_timeout = 200ms;
  database db(o);
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    try {
      co_await db.run("SELECT pg_sleep(5)");
      ADD_FAILURE() << "no timeout";
    } catch (const server_error& e) {
      EXPECT_TRUE(e.is_query_canceled()) << e.what();
    }
  });
}

TEST(Postgres, AFullPoolMakesQueriesWaitThenFailUnavailable) {
  options o = test_options(1);
  o.acquire_timeout = scaled(300ms);
  database db(o);
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    transaction tx = co_await db.begin();  // holds the only connection
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(co_await db.query_one<int>("SELECT 1"), unavailable);
    EXPECT_GE(std::chrono::steady_clock::now() - started, o.acquire_timeout - 10ms);
    // A query that waits gets the connection as soon as the transaction ends.
    const auto executor = co_await asio::this_coro::executor;
    async::task<int> waiting = async::spawn(executor, db.query_one<int>("SELECT 2"));
    co_await tx.commit();
    EXPECT_EQ(co_await waiting.result(), 2);
  });
}

TEST(Postgres, StatementsAreCheckedWhenThePoolOpens) {
  database db(test_options(1));
  db.prepare("SELECT 1");
  db.prepare("SELEKT broken");
  try {
    async::run(db.open());
    ADD_FAILURE() << "open() accepted a broken statement";
  } catch (const server_error& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
    EXPECT_NE(std::string(e.what()).find("SELEKT broken"), std::string::npos) << e.what();
  }
  EXPECT_THROW(db.prepare("SELECT 2"), std::logic_error);
}

TEST(Postgres, AnUnreachableDatabaseFailsOpenQuickly) {
  options o = test_options(2);
  o.url = "postgresql://postgres@127.0.0.1:1/nothing";  // nothing listens on port 1
  database db(o);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(async::run(db.open()), unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, scaled(5s));
}

TEST(Postgres, QueriesOnALoopWithoutAPoolSaySo) {
  database db(test_options(1));
  EXPECT_THROW(async::run(db.query_one<int>("SELECT 1")), std::logic_error);
}

// The faults: run one at a time (ctest RUN_SERIAL: their names hold "Fault").

TEST(PostgresFault, AKilledBackendFailsItsQueriesAtOnceAndThePoolReconnects) {
  database db(test_options(1));
  database admin(test_options(1));
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const int pid = co_await db.query_one<int>("SELECT pg_backend_pid()");
    const auto executor = co_await asio::this_coro::executor;
    async::task<std::string> in_flight = async::spawn(executor, db.query_one<std::string>("SELECT pg_sleep(30)::text"));
    co_await admin.open();
    // The signal: the server runs the query.
    const auto seen_by = std::chrono::steady_clock::now() + scaled(5s);
    while (!co_await admin.query_one<bool>(
        "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'",
        pid)) {
      if (std::chrono::steady_clock::now() > seen_by) throw std::runtime_error("the query never ran");
      co_await async::sleep_for(5ms);
    }
    const auto killed_at = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await admin.query_one<bool>("SELECT pg_terminate_backend($1)", pid));
    co_await admin.close();
    EXPECT_THROW(co_await in_flight.result(), connection_lost);
    EXPECT_LT(std::chrono::steady_clock::now() - killed_at, scaled(2s)) << "not at once";
    // The pool has reconnected (a new backend) by the time the next query needs it.
    const int new_pid = co_await db.query_one<int>("SELECT pg_backend_pid()");
    EXPECT_NE(new_pid, pid);
    const pool_stats stats = co_await db.stats();
    EXPECT_EQ(stats.losses, 1u);
    EXPECT_EQ(stats.connects, 2u);
  });
}

TEST(PostgresFault, ARestartedServerIsReconnectedToAndQueriesMeanwhileFailFast) {
  options o = test_options(2);
  o.acquire_timeout = scaled(500ms);
  database db(o);
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    EXPECT_EQ(co_await db.query_one<int>("SELECT 1"), 1);
    // The server goes away: queries fail (connection_lost or unavailable), none hang.
    cogi::testing::control_services("stop-postgres");
    int failed = 0;
    for (int i = 0; i < 3; ++i) {
      const auto started = std::chrono::steady_clock::now();
      try {
        co_await db.query_one<int>("SELECT 1");
      } catch (const connection_lost&) {
        ++failed;
      } catch (const unavailable&) {
        ++failed;
      }
      EXPECT_LT(std::chrono::steady_clock::now() - started, o.acquire_timeout + scaled(1s));
    }
    EXPECT_EQ(failed, 3);
    cogi::testing::control_services("start-postgres");
    const auto back_at = std::chrono::steady_clock::now();
    // Within the reconnect delay's cap (1 s) of the server answering again, queries work.
    for (;;) {
      try {
        if (co_await db.query_one<int>("SELECT 2") == 2) break;
      } catch (const unavailable&) {
      } catch (const connection_lost&) {
      }
      // While the database is down, queries fail without suspending: let the loop run
      // the reconnection before asking again.
      const auto executor = co_await asio::this_coro::executor;
      co_await asio::post(executor, asio::use_awaitable);
      if (std::chrono::steady_clock::now() - back_at > scaled(5s)) throw std::runtime_error("the pool did not reconnect");
    }
    EXPECT_LT(std::chrono::steady_clock::now() - back_at, scaled(2s));
  });
}

// Many handlers querying while every backend is killed, then while the server restarts
// (pg_ctl restart): each query succeeds or fails with connection_lost/unavailable (never
// hangs, never another error), and queries succeed again after each fault.
TEST(PostgresFault, QueriesUnderLoadSurviveKilledBackendsAndARestart) {
  options o = test_options(4);
  o.acquire_timeout = scaled(1s);
  database db(o);
  database admin(test_options(1));
  const statement echo = db.prepare("SELECT $1::int4");
  std::atomic<bool> stop{false};
  struct tally {
    long ok = 0, lost = 0, down = 0;
  } counts;
  cogi::testing::with_open(db, [&]() -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    // Eight workers, each a handler's worth of queries in a loop, checking every answer.
    const auto worker = [&](int n) -> asio::awaitable<void> {
      for (int i = 0; !stop; ++i) {
        try {
          const int got = co_await db.query_one<int>(echo, n * 1'000'000 + i);
          EXPECT_EQ(got, n * 1'000'000 + i);
          ++counts.ok;
        } catch (const connection_lost&) {
          ++counts.lost;
        } catch (const unavailable&) {
          ++counts.down;
        }
        co_await asio::post(executor, asio::use_awaitable);  // others' turn, and the pool's
      }
    };
    std::vector<async::task<void>> workers;
    for (int n = 0; n < 8; ++n) workers.push_back(async::spawn(executor, worker(n)));
    const auto ok_after = [&](long before) -> asio::awaitable<bool> {
      // Progress since `before`, within a bound: the pool has recovered.
      const auto deadline = std::chrono::steady_clock::now() + scaled(5s);
      while (counts.ok < before + 100 && std::chrono::steady_clock::now() < deadline) {
        co_await async::sleep_for(10ms);
      }
      co_return counts.ok >= before + 100;
    };
    EXPECT_TRUE(co_await ok_after(0));

    // Every backend of the test database killed at once.
    co_await admin.open();
    co_await admin.run(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND application_name = 'cogi'");
    co_await admin.close();
    EXPECT_TRUE(co_await ok_after(counts.ok)) << "no recovery after the backends were killed";

    // The server restarted (on the blocking pool: the loop goes on meanwhile).
    co_await async::run_blocking(cogi::testing::control_services, "restart-postgres");
    EXPECT_TRUE(co_await ok_after(counts.ok)) << "no recovery after the restart";
    stop = true;
    for (auto& w : workers) co_await w.result();
  });
  EXPECT_GT(counts.lost + counts.down, 0) << "the faults were not felt: the test tested nothing";
}

}  // namespace
}  // namespace cogi::postgres
