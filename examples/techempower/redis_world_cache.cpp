#include "examples/techempower/redis_world_cache.hpp"

#include <charconv>
#include <optional>
#include <string>

namespace cogi::techempower {

namespace {

std::string key_of(int id) { return "world:" + std::to_string(id); }

std::optional<int> number_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  int n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;  // not ours: read it again
  return n;
}

}  // namespace

redis_world_cache::redis_world_cache(redis::client& redis, postgres::database& db, postgres::statement world_by_id,
                                     std::chrono::milliseconds time_to_live)
    : redis_(redis), db_(db), world_by_id_(world_by_id), time_to_live_(time_to_live) {}

asio::awaitable<std::vector<world>> redis_world_cache::get(std::vector<int> ids) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (int id : ids) keys.push_back(key_of(id));
  const std::vector<std::optional<std::string>> cached = co_await redis_.mget(std::move(keys));

  std::vector<world> rows(ids.size());
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (const std::optional<int> n = number_of(cached[i])) rows[i] = {ids[i], *n};
    else missing.push_back(i);
  }
  if (missing.empty()) co_return rows;

  postgres::batch reads;
  for (std::size_t i : missing) reads.add(world_by_id_, ids[i]);
  const std::vector<postgres::result> results = co_await db_.run(reads);
  std::string writes;
  for (std::size_t k = 0; k < missing.size(); ++k) {
    const world w = results[k].one<world>();
    rows[missing[k]] = w;
    redis::append_command(writes, "SET", key_of(w.id), std::to_string(w.randomnumber), "PX", time_to_live_.count());
  }
  // Written back in one pipelined round trip.
  const std::vector<redis::value> written = co_await redis_.pipeline(std::move(writes), missing.size());
  for (const redis::value& reply : written) {
    if (reply.is_error()) throw redis::server_error(reply.text);
  }
  co_return rows;
}

}  // namespace cogi::techempower
