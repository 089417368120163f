// The usage shown in clients/postgres/'s header comments, compiled and run as written
// against the test PostgreSQL (tests/docs/check_snippets.py checks every snippet line
// appears in such a test). Around each snippet: the definitions it assumes.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cogi/clients/postgres/database.hpp"
#include "cogi/framework/app.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/run.hpp"
#include "tests/support/test_services.hpp"

namespace postgres_snippets {

namespace postgres = cogi::postgres;
namespace async = cogi::async;

// clients/postgres/database.hpp and result.hpp
struct world { int id; int randomnumber; };

struct user {
  int id;
  std::string name;
};
struct fortune {
  int id;
  std::string message;
};

// The tables the snippets read. The snippet tests run side by side (as processes): the
// tables are made once, under a lock, and never dropped.
void create_tables(const std::string& url) {
  postgres::options o;
  o.url = url;
  o.pool_size = 1;
  postgres::database db(o);
  async::run([&]() -> asio::awaitable<void> {
    co_await db.open();
    co_await db.transaction([&](postgres::transaction& tx) -> asio::awaitable<void> {
      co_await tx.execute("SELECT pg_advisory_xact_lock(4242)");
      co_await tx.execute("CREATE TABLE IF NOT EXISTS world (id int PRIMARY KEY, randomnumber int)");
      co_await tx.execute("INSERT INTO world SELECT g, g * 2 FROM generate_series(1, 100) g ON CONFLICT DO NOTHING");
      co_await tx.execute("CREATE TABLE IF NOT EXISTS snippet_users (id int PRIMARY KEY, name text)");
      co_await tx.execute("INSERT INTO snippet_users VALUES (1, 'ada') ON CONFLICT DO NOTHING");
      co_await tx.execute("CREATE TABLE IF NOT EXISTS snippet_fortunes (id int PRIMARY KEY, message text)");
      co_await tx.execute("INSERT INTO snippet_fortunes VALUES (1, 'fortune') ON CONFLICT DO NOTHING");
      co_await tx.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, n int)");
      co_await tx.execute("INSERT INTO t VALUES (5, 0) ON CONFLICT DO NOTHING");
    });
    co_await db.close();
  }());
}

TEST(PostgresSnippets, DatabaseHeader) {
  create_tables(cogi::testing::services().database_url);
  ::setenv("COGI_DATABASE_URL", cogi::testing::services().database_url.c_str(), 1);
  cogi::app app;
  // clients/postgres/database.hpp
  postgres::database db(postgres::options::from_environment());
  const postgres::statement world_by_id = db.prepare("SELECT id, randomnumber FROM world WHERE id = $1");

  app.on_startup([&db](cogi::state_map&) { return db.open(); });    // each loop's pool
  app.on_shutdown([&db](cogi::state_map&) { return db.close(); });
  app.get("/db", [&](cogi::request&) -> cogi::task<> {
    const world w = co_await db.query_one<world>(world_by_id, 42);
    co_return cogi::text(std::to_string(w.id) + " " + std::to_string(w.randomnumber));
  });

  cogi::test_client client(app);
  const auto response = client.get("/db");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "42 84");
}

// README.md, "Databases"
TEST(PostgresSnippets, Readme) {
  create_tables(cogi::testing::services().database_url);
  ::setenv("COGI_DATABASE_URL", cogi::testing::services().database_url.c_str(), 1);
  cogi::app app;
  postgres::database db(postgres::options::from_environment());   // COGI_DATABASE_URL
  const postgres::statement world_by_id = db.prepare("SELECT id, randomnumber FROM world WHERE id = $1");
  app.on_startup([&db](cogi::state_map&) { return db.open(); });    // each loop's pool
  app.on_shutdown([&db](cogi::state_map&) { return db.close(); });
  app.get("/db", [&](cogi::request&) -> cogi::task<> {
    const world w = co_await db.query_one<world>(world_by_id, 42);
    co_return cogi::text(std::to_string(w.randomnumber));
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/db").body, "84");
}

TEST(PostgresSnippets, QueriesAndTransactionHeaders) {
  create_tables(cogi::testing::services().database_url);
  postgres::options o;
  o.url = cogi::testing::services().database_url;
  postgres::database db(o);
  const postgres::statement world_by_id = db.prepare("SELECT id, randomnumber FROM world WHERE id = $1");
  const postgres::statement user_by_name = db.prepare("SELECT id, name FROM snippet_users WHERE name = $1");
  const postgres::statement all_fortunes = db.prepare("SELECT id, message FROM snippet_fortunes");
  const postgres::statement stmt = db.prepare("SELECT $1::int + $2::int");
  const postgres::statement debit = db.prepare("UPDATE t SET n = n - $2 WHERE id = $1");
  const postgres::statement credit = db.prepare("UPDATE t SET n = n + $2 WHERE id = $1");
  async::run([&]() -> asio::awaitable<void> {
    co_await db.open();
    const int a = 1, b = 2, from = 5, to = 5, amount = 3;
    const std::string name = "ada";
    const std::vector<int> ids{1, 2, 3};

    {
    const int id = 7;
    // clients/postgres/queries.hpp
    world w = co_await db.query_one<world>(world_by_id, id);
    std::optional<user> u = co_await db.query_optional<user>(user_by_name, name);
    std::vector<fortune> all = co_await db.query<fortune>(all_fortunes);
    std::uint64_t changed = co_await db.execute("UPDATE t SET n = n + 1 WHERE id = $1", id);
    postgres::result raw = co_await db.run(stmt, a, b);
    EXPECT_EQ(w.randomnumber, 14);
    EXPECT_EQ(u->name, "ada");
    EXPECT_EQ(all.size(), 1u);
    EXPECT_EQ(changed, 0u);
    EXPECT_EQ(raw.one<int>(), 3);
    }

    postgres::batch reads;
    for (int id : ids) reads.add(world_by_id, id);
    std::vector<postgres::result> rows = co_await db.run(reads);
    EXPECT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].one<world>().randomnumber, 6);

    // clients/postgres/transaction.hpp
    co_await db.transaction([&](postgres::transaction& tx) -> asio::awaitable<void> {
      co_await tx.execute(debit, from, amount);
      co_await tx.execute(credit, to, amount);
    });  // committed; rolled back if the function throws
    EXPECT_EQ(co_await db.query_one<int>("SELECT n FROM t WHERE id = 5"), 0);

    // clients/postgres/result.hpp
    postgres::result result = co_await db.run(world_by_id, 3);
    world w3 = result.one<world>();
    EXPECT_EQ(w3.id, 3);
    co_await db.close();
  }());
}

}  // namespace postgres_snippets
