#pragma once
// Redis for handlers: one multiplexed RESP3 connection per loop (connection.hpp),
// shared by every request the loop serves, made again in the background when it
// breaks. docs/redis.md tells the whole story.
//
//   redis::client cache(redis::options::from_url(url));   // redis://127.0.0.1:6379/0
//   app.on_startup([&cache](cogi::state_map&) { return cache.open(); });   // each loop
//   app.on_shutdown([&cache](cogi::state_map&) { return cache.close(); });
//
//   co_await cache.set("greeting", "hello", std::chrono::seconds(60));
//   std::optional<std::string> greeting = co_await cache.get("greeting");
//   redis::value reply = co_await cache.command("ZADD", "scores", 10, "ada");
//
//   redis::subscription news = co_await cache.subscribe("news");
//   redis::message m = co_await news.next();   // m.channel, m.payload
//
// Typed helpers throw server_error when Redis answers with an error; command() returns
// the reply as it is (value::is_error). Every call takes its arguments by value: an
// awaitable may be awaited later than it was made (gather), and must not point at
// temporaries gone by then. Failures are typed (error.hpp): unavailable is
// the one to answer with 503.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include "cogi/clients/redis/connection.hpp"
#include "cogi/clients/redis/error.hpp"
#include "cogi/clients/redis/options.hpp"
#include "cogi/clients/redis/resp.hpp"
#include "cogi/clients/redis/value.hpp"
#include "cogi/server/async/per_loop.hpp"
#include "cogi/server/async/queue.hpp"

namespace cogi::redis {

struct message {
  std::string channel;
  std::string payload;
};

namespace detail {
class link;
struct subscriber;
}  // namespace detail

// The messages published on some channels, from subscribe() until it is destroyed
// (which unsubscribes). Loop-local, like the client's connection.
class subscription {
 public:
  subscription(subscription&&) noexcept = default;
  subscription& operator=(subscription&&) noexcept = default;
  ~subscription();

  // The next message, in the order Redis sent them; waits while there is none. Messages
  // published while the connection was being made again are lost (pub/sub keeps no
  // history). Cancellable.
  asio::awaitable<message> next();

 private:
  friend class client;
  subscription(std::shared_ptr<detail::link> owner, std::shared_ptr<detail::subscriber> state);
  std::shared_ptr<detail::link> link_;
  std::shared_ptr<detail::subscriber> state_;
};

class client {
 public:
  explicit client(options settings);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Connects the calling loop (in the app's startup hook, which runs on every loop).
  // Throws unavailable or server_error (e.g. a wrong password) when that fails.
  asio::awaitable<void> open();
  asio::awaitable<void> close();

  // Any command; the reply as Redis gave it.
  template <argument... Args>
  asio::awaitable<value> command(Args... args) {
    std::string encoded;
    append_command(encoded, args...);
    std::vector<value> replies = co_await run(std::move(encoded), 1);
    co_return std::move(replies.front());
  }
  // Several commands sent together; their replies in order. `commands` holds them
  // RESP-encoded (append_command, resp.hpp).
  asio::awaitable<std::vector<value>> pipeline(std::string commands, std::size_t count) {
    return run(std::move(commands), count);
  }

  asio::awaitable<std::optional<std::string>> get(std::string key);
  // SET, with an expiry (PX) when given.
  asio::awaitable<void> set(std::string key, std::string value,
                            std::optional<std::chrono::milliseconds> expiry = std::nullopt);
  asio::awaitable<std::int64_t> del(std::string key);
  asio::awaitable<std::int64_t> incr(std::string key);
  asio::awaitable<std::vector<std::optional<std::string>>> mget(std::vector<std::string> keys);
  // mget("a", "b"): the keys as arguments. (A braced list, mget({"a", "b"}), written
  // inside co_await does not compile with GCC 12: docs/compilers.md.)
  template <class... Keys>
    requires(sizeof...(Keys) > 0 && (std::convertible_to<Keys, std::string> && ...))
  asio::awaitable<std::vector<std::optional<std::string>>> mget(Keys&&... keys) {
    std::vector<std::string> all;
    all.reserve(sizeof...(Keys));
    (all.emplace_back(std::forward<Keys>(keys)), ...);
    return mget(std::move(all));
  }
  asio::awaitable<std::vector<std::string>> lrange(std::string key, std::int64_t start, std::int64_t stop);
  asio::awaitable<std::int64_t> hset(std::string key, std::string field, std::string value);
  asio::awaitable<std::optional<std::string>> hget(std::string key, std::string field);
  asio::awaitable<std::int64_t> publish(std::string channel, std::string payload);

  // Messages on `channels`, from the moment Redis confirmed the subscription.
  asio::awaitable<subscription> subscribe(std::vector<std::string> channels);
  // subscribe("news", "sport"): the channels as arguments (see mget).
  template <class... Channels>
    requires(sizeof...(Channels) > 0 && (std::convertible_to<Channels, std::string> && ...))
  asio::awaitable<subscription> subscribe(Channels&&... channels) {
    std::vector<std::string> all;
    all.reserve(sizeof...(Channels));
    (all.emplace_back(std::forward<Channels>(channels)), ...);
    return subscribe(std::move(all));
  }

  const options& settings() const { return settings_; }

 private:
  asio::awaitable<std::vector<value>> run(std::string commands, std::size_t count);
  std::shared_ptr<detail::link> local(const asio::any_io_executor& executor);

  const options settings_;
  // A shared_ptr per loop: subscriptions and reconnection coroutines hold it too.
  async::per_loop<std::shared_ptr<detail::link>> links_;
};

}  // namespace cogi::redis
