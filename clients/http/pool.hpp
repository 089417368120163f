#pragma once
// Idle connections kept for reuse, per origin (scheme, host, port), on one loop: a
// request takes the most recently used one that is still good, and gives it back once
// its response has been read to the end on a connection both sides keep alive. At most
// max_idle_per_origin wait per origin; one idle past idle_timeout is closed.
//
// Each loop has its own pools (an Asio service of the loop's io_context, pool_for()),
// one per http_client, so that no lock is taken on a request's path and a connection
// is only ever used on the loop that made it. The loop's end closes them all; a
// client's end leaves its pools to be closed the next time the loop looks for one.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/clients/http/connection.hpp"

namespace cogi::fetch {

class pool : public std::enable_shared_from_this<pool> {
 public:
  pool(asio::any_io_executor executor, std::size_t max_idle_per_origin, clock::duration idle_timeout);
  ~pool();
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;

  // A good idle connection to `origin`, or nullptr.
  std::shared_ptr<connection> take(const std::string& origin);
  // Keeps `c` for reuse (or closes it when the origin has enough waiting).
  void give_back(std::shared_ptr<connection> c);
  std::size_t idle_count() const;
  void close_all();

 private:
  void sweep_later();
  void sweep();

  asio::steady_timer sweep_timer_;
  std::size_t max_idle_per_origin_;
  clock::duration idle_timeout_;
  bool sweeping_ = false;
  std::unordered_map<std::string, std::vector<std::shared_ptr<connection>>> idle_;
};

// The loop's pool for the client numbered `client_id` (made on first use), found on the
// loop that runs `executor`. `owner` is the client's life: when it has gone, its pools
// are closed.
std::shared_ptr<pool> pool_for(const asio::any_io_executor& executor, std::uint64_t client_id,
                               const std::weak_ptr<const void>& owner, std::size_t max_idle_per_origin,
                               clock::duration idle_timeout);

}  // namespace cogi::fetch
