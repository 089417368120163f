// The TechEmpower benchmark application (docs/techempower.md):
//   techempower --database-url postgresql://user@host/hello_world [--db-pool-size N]
//               [--cache-size N | --redis-url redis://host:port] [server flags...]

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>

#include "examples/techempower/techempower_app.hpp"
#include "cogi/server/runtime/run.hpp"

namespace {

// A positive integer flag value.
unsigned positive(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0)
    throw std::invalid_argument("expected a positive integer, got '" + std::string(text) + "'");
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  namespace postgres = cogi::postgres;
  cogi::server_config defaults;
  defaults.port = 8080;
  defaults.app_options = {
      {"database-url", "The hello_world database: a libpq URI or conninfo (empty: libpq's PG* variables).", "",
       nullptr},
      {"db-pool-size", "PostgreSQL connections per loop.", std::to_string(postgres::options{}.pool_size),
       [](std::string_view v) { positive(v); }},
      {"cache-size", "Rows per loop in /cached-queries' cache.", "10000", [](std::string_view v) { positive(v); }},
      {"redis-url", "Keep /cached-queries' cache in Redis: redis://[[user]:password@]host[:port][/db].", "",
       [](std::string_view v) { cogi::redis::options::from_url(v); }},
  };
  const cogi::parse_result parsed = cogi::parse_command_line(argc, argv, defaults);
  if (!parsed.config) return cogi::report(parsed);
  const cogi::server_config& config = *parsed.config;

  postgres::options database;
  database.url = config.option("database-url");
  database.pool_size = positive(config.option("db-pool-size"));
  cogi::techempower::hello_world_db store(database);
  cogi::techempower::app_settings settings;
  settings.cache_capacity = positive(config.option("cache-size"));
  std::optional<cogi::redis::client> redis;
  if (!config.option("redis-url").empty()) {
    redis.emplace(cogi::redis::options::from_url(config.option("redis-url")));
    settings.redis = &*redis;
  }
  return cogi::run(cogi::techempower::make_app(store, settings), config);
}
