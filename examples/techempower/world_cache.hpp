#pragma once
// /cached-queries' read-through cache of World rows: one per loop (in the loop's
// lifespan state), bounded, least recently used rows evicted first. A miss is read from
// the database, one query per row, pipelined; rows already being read for another
// request are waited for, not read twice. The read runs on its own, so a request that
// is cancelled meanwhile does not take the read away from the others waiting for it.
// Made with std::make_shared (the reads hold it).

#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/clients/postgres/database.hpp"
#include "examples/techempower/lru_cache.hpp"
#include "examples/techempower/world.hpp"
#include "cogi/server/async/event.hpp"

namespace cogi::techempower {

class world_cache : public std::enable_shared_from_this<world_cache> {
 public:
  world_cache(postgres::database& db, postgres::statement world_by_id, std::size_t capacity);

  // The rows of `ids`, in order (an id may repeat).
  asio::awaitable<std::vector<world>> get(std::span<const int> ids);

  const cache_stats& stats() const { return rows_.stats(); }
  std::size_t size() const { return rows_.size(); }

 private:
  // A read in progress, shared by every request that needs the row meanwhile.
  struct loading {
    async::event done;
    std::optional<world> row;
    std::exception_ptr error;
  };
  static asio::awaitable<void> load(std::shared_ptr<world_cache> self, std::vector<int> ids,
                                    std::vector<std::shared_ptr<loading>> loads);

  postgres::database& db_;
  postgres::statement world_by_id_;
  lru_cache<int, world> rows_;
  std::unordered_map<int, std::shared_ptr<loading>> loading_;
};

}  // namespace cogi::techempower
