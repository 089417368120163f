#include "cogi/clients/http/pool.hpp"

#include <algorithm>

#include <asio/execution/context.hpp>
#include <asio/execution_context.hpp>
#include <asio/query.hpp>

namespace cogi::fetch {

pool::pool(asio::any_io_executor executor, std::size_t max_idle_per_origin, clock::duration idle_timeout)
    : sweep_timer_(std::move(executor)), max_idle_per_origin_(max_idle_per_origin), idle_timeout_(idle_timeout) {}

pool::~pool() { close_all(); }

std::shared_ptr<connection> pool::take(const std::string& origin) {
  const auto found = idle_.find(origin);
  if (found == idle_.end()) return nullptr;
  auto& waiting = found->second;
  while (!waiting.empty()) {
    std::shared_ptr<connection> c = std::move(waiting.back());
    waiting.pop_back();
    if (clock::now() - c->idle_since < idle_timeout_ && c->reusable_now()) return c;
    c->close();
  }
  return nullptr;
}

void pool::give_back(std::shared_ptr<connection> c) {
  if (max_idle_per_origin_ == 0) return;  // closed as it goes
  auto& waiting = idle_[c->origin()];
  if (waiting.size() >= max_idle_per_origin_) {
    // The oldest makes room: the newest is the likeliest to be good.
    waiting.front()->close();
    waiting.erase(waiting.begin());
  }
  c->idle_since = clock::now();
  waiting.push_back(std::move(c));
  sweep_later();
}

std::size_t pool::idle_count() const {
  std::size_t n = 0;
  for (const auto& [origin, waiting] : idle_) n += waiting.size();
  return n;
}

void pool::close_all() {
  for (auto& [origin, waiting] : idle_) {
    for (auto& c : waiting) c->close();
  }
  idle_.clear();
  sweep_timer_.cancel();
}

void pool::sweep_later() {
  if (sweeping_) return;
  sweeping_ = true;
  sweep_timer_.expires_after(idle_timeout_);
  sweep_timer_.async_wait([weak = weak_from_this()](const asio::error_code& error) {
    const auto self = weak.lock();
    if (!self) return;
    self->sweeping_ = false;
    if (!error) self->sweep();
  });
}

// Closes connections idle past idle_timeout (the server would close them soon anyway,
// and each holds a socket on both sides).
void pool::sweep() {
  const auto now = clock::now();
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& waiting = it->second;
    std::erase_if(waiting, [&](const std::shared_ptr<connection>& c) {
      if (now - c->idle_since < idle_timeout_) return false;
      c->close();
      return true;
    });
    it = waiting.empty() ? idle_.erase(it) : std::next(it);
  }
  if (!idle_.empty()) sweep_later();
}

namespace {

// Every client's pools on one loop. Shut down with the loop's io_context, which closes
// the connections while their loop still exists.
class pool_registry final : public asio::execution_context::service {
 public:
  static asio::execution_context::id id;
  explicit pool_registry(asio::execution_context& context) : asio::execution_context::service(context) {}

  std::shared_ptr<pool> find(const asio::any_io_executor& executor, std::uint64_t client_id,
                             const std::weak_ptr<const void>& owner, std::size_t max_idle_per_origin,
                             clock::duration idle_timeout) {
    const auto found = pools_.find(client_id);
    if (found != pools_.end()) return found->second.pools;
    // A client that has gone leaves its pools here: they go when another is made.
    std::erase_if(pools_, [](const auto& registered) { return registered.second.owner.expired(); });
    auto made = std::make_shared<pool>(executor, max_idle_per_origin, idle_timeout);
    pools_.emplace(client_id, entry{owner, made});
    return made;
  }

 private:
  void shutdown() override { pools_.clear(); }

  struct entry {
    std::weak_ptr<const void> owner;
    std::shared_ptr<pool> pools;
  };
  std::unordered_map<std::uint64_t, entry> pools_;
};

asio::execution_context::id pool_registry::id;

}  // namespace

std::shared_ptr<pool> pool_for(const asio::any_io_executor& executor, std::uint64_t client_id,
                               const std::weak_ptr<const void>& owner, std::size_t max_idle_per_origin,
                               clock::duration idle_timeout) {
  asio::execution_context& context = asio::query(executor, asio::execution::context);
  return asio::use_service<pool_registry>(context).find(executor, client_id, owner, max_idle_per_origin,
                                                        idle_timeout);
}

}  // namespace cogi::fetch
