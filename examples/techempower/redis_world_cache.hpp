#pragma once
// /cached-queries' cache in Redis instead of in the process: shared by every loop and
// every instance of the app. Rows are read with one MGET per request; the misses are
// read from PostgreSQL (one query per row, pipelined) and written back with an expiry,
// which is how Redis evicts them (with its maxmemory policy as the bound).

#include <chrono>
#include <span>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/clients/postgres/database.hpp"
#include "cogi/clients/redis/client.hpp"
#include "examples/techempower/world.hpp"

namespace cogi::techempower {

class redis_world_cache {
 public:
  redis_world_cache(redis::client& redis, postgres::database& db, postgres::statement world_by_id,
                    std::chrono::milliseconds time_to_live);

  // The rows of `ids`, in order (an id may repeat).
  asio::awaitable<std::vector<world>> get(std::vector<int> ids);

 private:
  redis::client& redis_;
  postgres::database& db_;
  postgres::statement world_by_id_;
  std::chrono::milliseconds time_to_live_;
};

}  // namespace cogi::techempower
