#pragma once
// The TechEmpower Framework Benchmarks application (docs/techempower.md): the seven test
// types as the benchmark's rules specify them, on cogi's framework and its PostgreSQL
// client.
//
//   /plaintext               Hello, World!
//   /json                    {"message":"Hello, World!"}
//   /db                      one random World row
//   /queries?queries=N       N rows, one query each (N clamped to 1..500; missing,
//                            0, empty or not a number: 1)
//   /fortunes                the Fortune table and one row added at request time,
//                            sorted by message, as an HTML table (escaped)
//   /updates?queries=N       N rows read one query each, given new random numbers,
//                            written back in one statement (ids sorted)
//   /cached-queries?count=N  N rows through a read-through cache: per loop, or in Redis
//
// When the database (or Redis) cannot be reached, the routes that need it answer 503
// with a Retry-After, and the rest keep working.

#include <cstddef>

#include <chrono>

#include "cogi/clients/postgres/database.hpp"
#include "cogi/clients/redis/client.hpp"
#include "cogi/framework/app.hpp"

namespace cogi::techempower {

// The database and the statements the app runs on it, declared once.
struct hello_world_db {
  explicit hello_world_db(postgres::options settings);

  postgres::database db;
  postgres::statement world_by_id;
  postgres::statement all_fortunes;
  postgres::statement update_worlds;
};

struct app_settings {
  std::size_t cache_capacity = 10'000;  // rows per loop in /cached-queries' cache
  // When set, /cached-queries keeps its cache in Redis (redis_world_cache.hpp), rows
  // expiring after `redis_ttl`, instead of in each loop.
  redis::client* redis = nullptr;
  std::chrono::milliseconds redis_ttl{60'000};
};

// The app. It opens the database's pool on every loop at startup (and the cache) and
// closes it at shutdown.
cogi::app make_app(hello_world_db& store, const app_settings& settings = {});

// What /queries, /updates and /cached-queries make of their parameter.
int clamp_count(std::optional<std::string_view> text);

}  // namespace cogi::techempower
