// The TechEmpower app (examples/techempower/) served on loopback against the test
// PostgreSQL's hello_world database (scripts/techempower_db.sh), checked the way the
// benchmark's verifier checks an entry: response shapes and headers, the `queries`
// clamping probes, the fortunes page byte for byte, that updates reach the table, and
// how many queries each request runs (pg_stat_statements).

#include "examples/techempower/techempower_app.hpp"
#include "examples/techempower/world.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <picojson.h>

#include "cogi/server/async/run.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"
#include "tests/support/test_services.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::techempower {
namespace {

using testing::get;
using testing::http_response;

postgres::options hello_world(unsigned pool_size = 2) {
  postgres::options o;
  o.url = testing::services().hello_world_url;
  o.pool_size = pool_size;
  return o;
}

// The app on a real server, its pools open on the server's loops.
class served_app {
 public:
  explicit served_app(app_settings settings = {}) : store_(hello_world()), server_(make_app(store_, settings)) {}
  std::uint16_t port() const { return server_.port(); }
  http_response get(std::string_view target) const { return testing::get(port(), target); }

 private:
  hello_world_db store_;
  testing::running_server server_;
};

picojson::value parse_json(const std::string& text) {
  picojson::value v;
  const std::string error = picojson::parse(v, text);
  EXPECT_TRUE(error.empty()) << error << " in " << text;
  return v;
}

// The verifier's header rules: Server, Date (RFC 7231 format), the content type, and a
// length or chunked framing.
void expect_verifier_headers(const http_response& r, const std::string& content_type_pattern) {
  EXPECT_TRUE(r.header("server").has_value());
  ASSERT_TRUE(r.header("date").has_value());
  EXPECT_TRUE(std::regex_match(*r.header("date"),
                               std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)")))
      << *r.header("date");
  ASSERT_TRUE(r.header("content-type").has_value());
  EXPECT_TRUE(std::regex_match(*r.header("content-type"), std::regex(content_type_pattern))) << *r.header("content-type");
  EXPECT_TRUE(r.header("content-length").has_value() || r.chunked);
}

// A World object: exactly id and randomNumber, integers in 1..10000.
void expect_world(const picojson::value& v) {
  ASSERT_TRUE(v.is<picojson::object>()) << v.serialize();
  const auto& o = v.get<picojson::object>();
  EXPECT_EQ(o.size(), 2u) << v.serialize();
  ASSERT_TRUE(o.contains("id") && o.at("id").is<std::int64_t>()) << v.serialize();
  ASSERT_TRUE(o.contains("randomNumber") && o.at("randomNumber").is<std::int64_t>()) << v.serialize();
  EXPECT_GE(o.at("id").get<std::int64_t>(), 1);
  EXPECT_LE(o.at("id").get<std::int64_t>(), 10000);
  EXPECT_GE(o.at("randomNumber").get<std::int64_t>(), 1);
  EXPECT_LE(o.at("randomNumber").get<std::int64_t>(), 10000);
}

std::size_t world_list_length(const http_response& r) {
  const picojson::value v = parse_json(r.body);
  EXPECT_TRUE(v.is<picojson::array>()) << r.body;
  if (!v.is<picojson::array>()) return 0;
  for (const auto& item : v.get<picojson::array>()) expect_world(item);
  return v.get<picojson::array>().size();
}

const std::string json_type = "application/json(; ?charset=(UTF|utf)-8)?";

TEST(TechEmpower, PlaintextAndJson) {
  const served_app app;
  const http_response plain = app.get("/plaintext");
  EXPECT_EQ(plain.body, "Hello, World!");
  expect_verifier_headers(plain, "text/plain(; ?charset=(UTF|utf)-8)?");
  const http_response json = app.get("/json");
  EXPECT_EQ(json.body, R"({"message":"Hello, World!"})");
  expect_verifier_headers(json, json_type);
}

TEST(TechEmpower, DbIsOneWorldObject) {
  const served_app app;
  const http_response r = app.get("/db");
  EXPECT_EQ(r.status, 200);
  expect_verifier_headers(r, json_type);
  expect_world(parse_json(r.body));
}

TEST(TechEmpower, QueriesAndUpdatesClampTheirParameter) {
  const served_app app;
  // The verifier's probes: ('2', 2), ('0', 1), ('foo', 1), ('501', 500), ('', 1), and none.
  const std::vector<std::pair<std::string, std::size_t>> probes = {
      {"?queries=2", 2}, {"?queries=0", 1}, {"?queries=foo", 1}, {"?queries=501", 500},
      {"?queries=", 1},  {"", 1},           {"?queries=-5", 1},  {"?queries=99999999999999", 500}};
  for (const auto& route : {"/queries", "/updates"}) {
    for (const auto& [query, expected] : probes) {
      const http_response r = app.get(std::string(route) + query);
      EXPECT_EQ(r.status, 200) << route << query;
      expect_verifier_headers(r, json_type);
      EXPECT_EQ(world_list_length(r), expected) << route << query;
    }
  }
  for (const auto& [query, expected] : std::vector<std::pair<std::string, std::size_t>>{
           {"?count=2", 2}, {"?count=0", 1}, {"?count=foo", 1}, {"?count=501", 500}, {"", 1}}) {
    EXPECT_EQ(world_list_length(app.get("/cached-queries" + query)), expected) << query;
  }
}

TEST(TechEmpower, FortunesIsTheTableSortedAndEscaped) {
  const served_app app;
  const http_response r = app.get("/fortunes");
  EXPECT_EQ(r.status, 200);
  expect_verifier_headers(r, "text/html; ?charset=(UTF|utf)-8");
  const std::string expected =
      "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>"
      "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);"
      "&lt;/script&gt;</td></tr>"
      "<tr><td>4</td><td>A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1</td></tr>"
      "<tr><td>5</td><td>A computer program does what you tell it to do, not what you want it to do.</td></tr>"
      "<tr><td>2</td><td>A computer scientist is someone who fixes things that aren&#39;t broken.</td></tr>"
      "<tr><td>8</td><td>A list is only as strong as its weakest link. — Donald Knuth</td></tr>"
      "<tr><td>0</td><td>Additional fortune added at request time.</td></tr>"
      "<tr><td>3</td><td>After enough decimal places, nobody gives a damn.</td></tr>"
      "<tr><td>7</td><td>Any program that runs right is obsolete.</td></tr>"
      "<tr><td>10</td><td>Computers make very fast, very accurate mistakes.</td></tr>"
      "<tr><td>6</td><td>Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen</td></tr>"
      "<tr><td>9</td><td>Feature: A bug with seniority.</td></tr>"
      "<tr><td>1</td><td>fortune: No such file or directory</td></tr>"
      "<tr><td>12</td><td>フレームワークのベンチマーク</td></tr>"
      "</table></body></html>";
  EXPECT_EQ(r.body, expected);
}

// The rows as the database has them now.
std::map<int, int> world_table() {
  postgres::database db(hello_world(1));
  return async::run([&]() -> asio::awaitable<std::map<int, int>> {
    co_await db.open();
    std::map<int, int> rows;
    const std::vector<world> all = co_await db.query<world>("SELECT id, randomnumber FROM world");
    for (const world& w : all) rows[w.id] = w.randomnumber;
    co_await db.close();
    co_return rows;
  }());
}

TEST(TechEmpowerSerial, UpdatesReachTheTableAndTheResponseSaysWhatWasWritten) {
  const served_app app;
  const std::map<int, int> before = world_table();
  const http_response r = app.get("/updates?queries=500");
  ASSERT_EQ(world_list_length(r), 500u);
  const std::map<int, int> after = world_table();
  std::map<int, int> answered;
  const picojson::value response = parse_json(r.body);
  for (const auto& item : response.get<picojson::array>()) {
    answered[static_cast<int>(item.get("id").get<std::int64_t>())] =
        static_cast<int>(item.get("randomNumber").get<std::int64_t>());
  }
  std::size_t changed = 0;
  for (const auto& [id, number] : answered) {
    EXPECT_EQ(after.at(id), number) << "row " << id << " is not what the response said";
    changed += before.at(id) != after.at(id);
  }
  // The verifier wants more than 95% of the rows changed (a new random number may equal
  // the old one, 1 in 10,000).
  EXPECT_GT(changed, answered.size() * 95 / 100);
}

// Asks /cached-queries?count=500 `rounds` times; every row must be as in `table`.
// Returns the ids seen.
std::set<int> expect_cached_rows_as_in(const served_app& app, const std::map<int, int>& table, int rounds) {
  std::set<int> seen;
  for (int round = 0; round < rounds; ++round) {
    const http_response r = app.get("/cached-queries?count=500");
    EXPECT_EQ(world_list_length(r), 500u);
    const picojson::value response = parse_json(r.body);
    if (!response.is<picojson::array>()) break;
    for (const auto& item : response.get<picojson::array>()) {
      const int id = static_cast<int>(item.get("id").get<std::int64_t>());
      EXPECT_EQ(item.get("randomNumber").get<std::int64_t>(), table.at(id));
      seen.insert(id);
    }
  }
  return seen;
}

TEST(TechEmpowerSerial, CachedQueriesAnswerWhatTheTableHolds) {
  app_settings small;
  small.cache_capacity = 100;  // fewer than the 10,000 rows: evictions happen
  const served_app app(small);
  expect_cached_rows_as_in(app, world_table(), 5);
}

TEST(TechEmpowerSerial, CachedQueriesInRedisAnswerWhatTheTableHolds) {
  redis::options o;
  o.host = testing::services().redis_host;
  o.port = testing::services().redis_port;
  redis::client cache(o);
  app_settings in_redis;
  in_redis.redis = &cache;
  in_redis.redis_ttl = std::chrono::milliseconds(30'000);
  const served_app app(in_redis);
  const std::map<int, int> table = world_table();
  const std::set<int> seen = expect_cached_rows_as_in(app, table, 3);
  // The rows are in Redis, expiring.
  redis::client check(o);
  async::run([&]() -> asio::awaitable<void> {
    co_await check.open();
    for (int id : seen) {
      const std::optional<std::string> cached = co_await check.get("world:" + std::to_string(id));
      EXPECT_EQ(cached, std::to_string(table.at(id)));
      const redis::value ttl = co_await check.command("PTTL", "world:" + std::to_string(id));
      EXPECT_GT(ttl.integer, 0);
      EXPECT_LE(ttl.integer, 30'000);
    }
    co_await check.close();
  }());
}

// ---- query counts: run alone (the counters are the database's) ----
// (So do the two tests above that compare with the table: other tests' /updates
// change it.)

struct statement_counts {
  std::int64_t calls = 0;
  std::int64_t rows = 0;
};

// pg_stat_statements' counters for the hello_world statements that begin with `prefix`.
asio::awaitable<std::map<std::string, statement_counts>> counts(postgres::database& admin) {
  {
    std::map<std::string, statement_counts> found;
    const auto rows = co_await admin.query<std::tuple<std::string, std::int64_t, std::int64_t>>(
        "SELECT s.query, s.calls, s.rows FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
        "WHERE d.datname = 'hello_world' AND (s.query LIKE 'SELECT id, randomnumber FROM world%' "
        "OR s.query LIKE 'SELECT id, message FROM fortune%' OR s.query LIKE 'UPDATE world%')");
    for (const auto& [query, calls, row_count] : rows) {
      const std::string kind = query.starts_with("SELECT id, randomnumber") ? "world"
                               : query.starts_with("SELECT id, message")    ? "fortune"
                                                                            : "update";
      found[kind] = {calls, row_count};
    }
    co_return found;
  }
}

TEST(TechEmpowerSerial, EachRequestRunsTheQueriesTheRulesAskFor) {
  const served_app app;
  // A pool lives on one loop: the counting connection is opened on each async::run's.
  const auto measure = [&](const std::string& target, int requests) {
    postgres::database counter(hello_world(1));
    return async::run([&]() -> asio::awaitable<std::map<std::string, statement_counts>> {
      co_await counter.open();
      co_await counter.run("SELECT pg_stat_statements_reset()");
      for (int i = 0; i < requests; ++i) EXPECT_EQ(app.get(target).status, 200) << target;
      auto result = co_await counts(counter);
      co_await counter.close();
      co_return result;
    }());
  };

  // /db: one query per request; /queries?queries=20: 20 per request, each reading one row.
  auto c = measure("/db", 10);
  EXPECT_EQ(c["world"].calls, 10);
  c = measure("/queries?queries=20", 10);
  EXPECT_EQ(c["world"].calls, 200);
  EXPECT_EQ(c["world"].rows, 200);
  // /fortunes: one query per request.
  c = measure("/fortunes", 10);
  EXPECT_EQ(c["fortune"].calls, 10);
  // /updates?queries=20: 20 reads and one bulk update per request, updating about 20 rows.
  c = measure("/updates?queries=20", 10);
  EXPECT_EQ(c["world"].calls, 200);
  EXPECT_EQ(c["update"].calls, 10);
  EXPECT_GE(c["update"].rows, 190);
  EXPECT_LE(c["update"].rows, 200);
}

TEST(TechEmpowerSerial, CachedQueriesReadEachRowOnce) {
  const served_app app;
  postgres::database counter(hello_world(1));
  const auto c = async::run([&]() -> asio::awaitable<std::map<std::string, statement_counts>> {
    co_await counter.open();
    co_await counter.run("SELECT pg_stat_statements_reset()");
    // 20 requests of 500 rows: at most 10,000 distinct rows, each read once (one loop).
    for (int i = 0; i < 20; ++i) EXPECT_EQ(app.get("/cached-queries?count=500").status, 200);
    auto result = co_await counts(counter);
    co_await counter.close();
    co_return result;
  }());
  EXPECT_LE(c.count("world") ? c.at("world").calls : 0, 10'000);
  EXPECT_LT(c.count("world") ? c.at("world").calls : 0, 20 * 500) << "the cache read rows twice";
}

TEST(TechEmpowerFault, TheDatabaseDownGives503AndServiceComesBack) {
  const served_app app;
  EXPECT_EQ(app.get("/db").status, 200);
  testing::control_services("stop-postgres");
  for (const auto& target : {"/db", "/queries?queries=5", "/fortunes", "/updates?queries=5"}) {
    const auto started = std::chrono::steady_clock::now();
    const http_response r = app.get(target);
    EXPECT_EQ(r.status, 503) << target;
    EXPECT_EQ(r.header("retry-after"), "1");
    EXPECT_NE(r.body.find("unavailable"), std::string::npos) << r.body;
    EXPECT_LT(std::chrono::steady_clock::now() - started, testing::scaled(std::chrono::milliseconds(2500)));
  }
  EXPECT_EQ(app.get("/plaintext").status, 200) << "the rest keeps working";
  testing::control_services("start-postgres");
  const auto back = std::chrono::steady_clock::now();
  EXPECT_TRUE(testing::eventually([&] { return app.get("/db").status == 200; }, testing::scaled(std::chrono::seconds(5))));
  EXPECT_LT(std::chrono::steady_clock::now() - back, testing::scaled(std::chrono::seconds(2)));
}

}  // namespace
}  // namespace cogi::techempower
