// A typed handler's dependency holding a PostgreSQL transaction (FastAPI's `yield`
// session), against the test PostgreSQL: the handler commits, or the transaction is
// rolled back when the request is done; either way its connection goes back to the
// pool after the response.

#include <gtest/gtest.h>

#include <string>

#include "cogi/clients/postgres/database.hpp"
#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/run.hpp"
#include "tests/support/test_services.hpp"

namespace {

namespace postgres = cogi::postgres;

postgres::database* the_database = nullptr;  // a provider captures nothing: it finds it here

// The dependency: a transaction, rolled back by its destructor unless committed.
cogi::task<postgres::transaction> transaction() {
  postgres::transaction tx = co_await the_database->begin();
  co_return tx;
}

struct counter {
  int n = 0;
};
COGI_MODEL(counter, n);

struct held {
  std::uint64_t connections_held = 0;
};
COGI_MODEL(held, connections_held);

TEST(PostgresDependency, ATransactionCommittedOrRolledBackAfterTheResponse) {
  postgres::options options;
  options.url = cogi::testing::services().database_url;
  options.pool_size = 2;
  postgres::database db(options);
  the_database = &db;
  cogi::app app;
  app.on_startup([&db](cogi::state_map&) { return db.open(); });
  app.on_shutdown([&db](cogi::state_map&) { return db.close(); });
  app.post("/reset", [](cogi::depends<transaction> tx) -> cogi::task<void> {
    co_await tx->execute("CREATE TABLE IF NOT EXISTS dependency_counter (id int PRIMARY KEY, n int)");
    co_await tx->execute("INSERT INTO dependency_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0");
    co_await tx->commit();
  });
  app.post("/add/{n}", [](cogi::depends<transaction> tx, cogi::path<"n", int> n,
                          cogi::query<"commit", bool, cogi::defaults_to(true)> commit) -> cogi::task<counter> {
    const int amount = *n;
    co_await tx->execute("UPDATE dependency_counter SET n = n + $1 WHERE id = 1", amount);
    const counter now = co_await tx->query_one<counter>("SELECT n FROM dependency_counter WHERE id = 1");
    if (*commit) co_await tx->commit();
    co_return now;
  });
  app.get("/count", [](cogi::depends<transaction> tx) -> cogi::task<counter> {
    co_return co_await tx->query_one<counter>("SELECT n FROM dependency_counter WHERE id = 1");
  });
  app.get("/held", [&db]() -> cogi::task<held> {
    const postgres::pool_stats stats = co_await db.stats();
    co_return held{stats.held};
  });

  cogi::test_client client(app);
  ASSERT_EQ(client.post("/reset").status, 204);
  EXPECT_EQ(client.post("/add/5").body, R"({"n":5})");
  EXPECT_EQ(client.get("/held").body, R"({"connections_held":0})");  // given back after the response
  // The handler saw 12 inside its transaction; not committed, it was rolled back.
  EXPECT_EQ(client.post("/add/7?commit=false").body, R"({"n":12})");
  EXPECT_EQ(client.get("/held").body, R"({"connections_held":0})");
  EXPECT_EQ(client.get("/count").body, R"({"n":5})");
  the_database = nullptr;
}

}  // namespace
