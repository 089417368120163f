#include "examples/techempower/world_cache.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>

namespace cogi::techempower {

world_cache::world_cache(postgres::database& db, postgres::statement world_by_id, std::size_t capacity)
    : db_(db), world_by_id_(world_by_id), rows_(capacity) {}

asio::awaitable<std::vector<world>> world_cache::get(std::span<const int> ids) {
  std::vector<std::optional<world>> found(ids.size());
  std::vector<std::shared_ptr<loading>> waits(ids.size());
  std::vector<int> to_read;
  std::vector<std::shared_ptr<loading>> reads;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (const world* cached = rows_.find(ids[i])) {
      found[i] = *cached;
      continue;
    }
    auto& in_flight = loading_[ids[i]];
    if (!in_flight) {  // nobody reads it yet: this request does
      in_flight = std::make_shared<loading>();
      to_read.push_back(ids[i]);
      reads.push_back(in_flight);
    }
    waits[i] = in_flight;
  }
  if (!to_read.empty()) {
    const auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, load(shared_from_this(), std::move(to_read), std::move(reads)), asio::detached);
  }
  std::vector<world> rows;
  rows.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!found[i]) {
      co_await waits[i]->done.wait();
      if (waits[i]->error) std::rethrow_exception(waits[i]->error);
      found[i] = waits[i]->row;
    }
    rows.push_back(*found[i]);
  }
  co_return rows;
}

asio::awaitable<void> world_cache::load(std::shared_ptr<world_cache> self, std::vector<int> ids,
                                        std::vector<std::shared_ptr<loading>> loads) {
  std::exception_ptr failure;
  std::vector<postgres::result> results;
  try {
    postgres::batch reads;
    for (int id : ids) reads.add(self->world_by_id_, id);
    results = co_await self->db_.run(reads);
  } catch (...) {
    failure = std::current_exception();
  }
  // Whatever happened, the waiters are told, and the ids are no longer in flight (a
  // failed read is tried again by the next request that needs it).
  for (std::size_t i = 0; i < ids.size(); ++i) {
    self->loading_.erase(ids[i]);
    if (!failure) {
      try {
        loads[i]->row = results[i].one<world>();
        self->rows_.put(ids[i], *loads[i]->row);
      } catch (...) {
        loads[i]->error = std::current_exception();
      }
    } else {
      loads[i]->error = failure;
    }
    loads[i]->done.set();
  }
}

}  // namespace cogi::techempower
