// cogi::redis against a real redis-server (tests/support/test_services.hpp): the typed
// commands, errors, automatic pipelining on one connection per loop, pub/sub, AUTH,
// timeouts, and the faults: a killed connection, the server stopped and started.

#include "cogi/clients/redis/client.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "cogi/server/async/gather.hpp"
#include "cogi/server/async/run.hpp"
#include "cogi/server/async/task.hpp"
#include "tests/support/test_services.hpp"
#include "tests/support/with_open.hpp"
#include "tests/support/waiting.hpp"

namespace cogi::redis {
namespace {

using namespace std::chrono_literals;
using testing::scaled;

options test_options() {
  options o;
  o.host = cogi::testing::services().redis_host;
  o.port = cogi::testing::services().redis_port;
  o.command_timeout = scaled(5s);
  return o;
}

// A key of this test's own, so tests running side by side do not meet.
std::string key(std::string_view name) {
  return std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ":" + std::string(name);
}

TEST(Redis, TypedCommands) {
  client redis(test_options());
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    co_await redis.del(key("s"));
    EXPECT_FALSE((co_await redis.get(key("s"))).has_value());
    co_await redis.set(key("s"), "hello\r\nworld");
    EXPECT_EQ(co_await redis.get(key("s")), "hello\r\nworld");
    co_await redis.set(key("expiring"), "x", std::chrono::milliseconds(60'000));
    const value ttl = co_await redis.command("PTTL", key("expiring"));
    EXPECT_GT(ttl.integer, 0);
    EXPECT_LE(ttl.integer, 60'000);
    co_await redis.del(key("n"));
    EXPECT_EQ(co_await redis.incr(key("n")), 1);
    EXPECT_EQ(co_await redis.incr(key("n")), 2);
    const std::vector<std::optional<std::string>> many = co_await redis.mget(key("s"), key("missing"), key("n"));
    EXPECT_EQ(many.size(), 3u);
    if (many.size() != 3u) co_return;
    EXPECT_EQ(many[0], "hello\r\nworld");
    EXPECT_FALSE(many[1].has_value());
    EXPECT_EQ(many[2], "2");
    co_await redis.del(key("list"));
    co_await redis.command("RPUSH", key("list"), "a", "b", "c");
    const std::vector<std::string> items = co_await redis.lrange(key("list"), 0, -1);
    EXPECT_EQ(items, (std::vector<std::string>{"a", "b", "c"}));
    co_await redis.del(key("h"));
    EXPECT_EQ(co_await redis.hset(key("h"), "f", "v"), 1);
    EXPECT_EQ(co_await redis.hget(key("h"), "f"), "v");
    EXPECT_FALSE((co_await redis.hget(key("h"), "nothing")).has_value());
    EXPECT_EQ(co_await redis.del(key("h")), 1);
    // RESP3 types come through as such: a map from HGETALL, a double from INCRBYFLOAT.
    co_await redis.hset(key("h"), "a", "1");
    const value all = co_await redis.command("HGETALL", key("h"));
    EXPECT_EQ(all.kind, kind::map);
    EXPECT_EQ(all.find("a")->text, "1");
  });
}

TEST(Redis, ErrorRepliesAreServerErrorsAndTheConnectionGoesOn) {
  client redis(test_options());
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    co_await redis.del(key("list"));
    co_await redis.command("RPUSH", key("list"), "a");
    try {
      co_await redis.incr(key("list"));
      ADD_FAILURE() << "INCR on a list succeeded";
    } catch (const server_error& e) {
      EXPECT_EQ(e.code(), "WRONGTYPE") << e.what();
    }
    const value raw = co_await redis.command("NOSUCHCOMMAND");
    EXPECT_TRUE(raw.is_error());
    EXPECT_EQ((co_await redis.command("PING")).text, "PONG");
  });
}

TEST(Redis, ConcurrentCommandsShareOneConnectionInOrder) {
  options o = test_options();
  o.client_name = "cogi-pipelining";  // told apart from other tests' connections
  client redis(o);
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    co_await redis.del(key("counter"));
    std::vector<asio::awaitable<std::int64_t>> increments;
    for (int i = 0; i < 1000; ++i) increments.push_back(redis.incr(key("counter")));
    std::vector<std::int64_t> seen = co_await async::gather(std::move(increments));
    std::sort(seen.begin(), seen.end());
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[i], i + 1);
    // Each GET got its own key's value back, though all were in flight together.
    std::vector<asio::awaitable<void>> writes;
    for (int i = 0; i < 200; ++i) writes.push_back(redis.set(key("k" + std::to_string(i)), std::to_string(i * i)));
    co_await async::gather(std::move(writes));
    std::vector<asio::awaitable<std::optional<std::string>>> reads;
    for (int i = 0; i < 200; ++i) reads.push_back(redis.get(key("k" + std::to_string(i))));
    const auto values = co_await async::gather(std::move(reads));
    for (int i = 0; i < 200; ++i) EXPECT_EQ(values[i], std::to_string(i * i));
    // One connection for all of it.
    const value clients = co_await redis.command("CLIENT", "LIST");
    std::size_t ours = 0;
    for (std::size_t at = 0; (at = clients.text.find("name=cogi-pipelining", at)) != std::string::npos; ++at) ++ours;
    EXPECT_EQ(ours, 1u) << clients.text;
  });
}

TEST(Redis, PublishedMessagesReachTheSubscription) {
  client redis(test_options());
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    subscription news = co_await redis.subscribe(key("news"), key("sport"));
    // Commands still work on the same connection beside the subscription (RESP3).
    EXPECT_EQ(co_await redis.publish(key("news"), "first"), 1);
    EXPECT_EQ(co_await redis.publish(key("sport"), "second"), 1);
    EXPECT_EQ(co_await redis.publish(key("weather"), "nobody listens"), 0);
    const message m1 = co_await news.next();
    const message m2 = co_await news.next();
    EXPECT_EQ(m1.channel, key("news"));
    EXPECT_EQ(m1.payload, "first");
    EXPECT_EQ(m2.channel, key("sport"));
    EXPECT_EQ(m2.payload, "second");
  });
}

TEST(Redis, AuthenticatesAsAnAclUser) {
  client admin(test_options());
  cogi::testing::with_open(admin, [&]() -> asio::awaitable<void> {
    co_await admin.command("ACL", "SETUSER", "cogi_test_user", "on", ">secret", "~*", "+@all");
  });
  options good = test_options();
  good.username = "cogi_test_user";
  good.password = "secret";
  good.database = 3;
  client user(good);
  cogi::testing::with_open(user, [&]() -> asio::awaitable<void> {
    const value who = co_await user.command("ACL", "WHOAMI");
    EXPECT_EQ(who.text, "cogi_test_user");
    co_await user.set(key("db3"), "x");
  });
  options bad = good;
  bad.password = "wrong";
  client refused(bad);
  try {
    async::run(refused.open());
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const server_error& e) {
    EXPECT_EQ(e.code(), "WRONGPASS") << e.what();
  }
}

TEST(Redis, ACommandPastItsTimeoutFailsAndTheConnectionIsMadeAgain) {
  options o = test_options();
  o.command_timeout = scaled(200ms);
  client redis(o);
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    // BLPOP on an empty list blocks the connection, here for ten times the timeout.
    const double block_s = 10.0 * std::chrono::duration<double>(o.command_timeout).count();
    EXPECT_THROW(co_await redis.command("BLPOP", key("empty"), block_s), command_timeout);
    // The next command gets a fresh connection (the old one would answer it with
    // BLPOP's late reply), after a short wait for it.
    const value pong = co_await redis.command("PING");
    EXPECT_EQ(pong.text, "PONG");
  });
}

TEST(Redis, UrlsGiveOptions) {
  const options o = options::from_url("redis://user:p%40ss@cache.example:6380/2");
  EXPECT_EQ(o.username, "user");
  EXPECT_EQ(o.password, "p%40ss");
  EXPECT_EQ(o.host, "cache.example");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.database, 2);
  EXPECT_EQ(options::from_url("redis://:only@[::1]:7000").password, "only");
  EXPECT_EQ(options::from_url("redis://:only@[::1]:7000").host, "::1");
  EXPECT_EQ(options::from_url("redis://localhost").port, 6379);
  EXPECT_THROW(options::from_url("http://x"), std::invalid_argument);
  EXPECT_THROW(options::from_url("redis://x:port"), std::invalid_argument);
}

// ---- faults: run alone ----

TEST(RedisFault, AKilledConnectionFailsItsCommandsAndIsMadeAgain) {
  client redis(test_options());
  client admin(test_options());
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    const std::int64_t id = (co_await redis.command("CLIENT", "ID")).integer;
    const auto executor = co_await asio::this_coro::executor;
    async::task<value> blocked = async::spawn(executor, redis.command("BLPOP", key("never"), 10));
    co_await admin.open();
    const value killed = co_await admin.command("CLIENT", "KILL", "ID", id);
    co_await admin.close();
    EXPECT_EQ(killed.integer, 1);
    EXPECT_THROW(co_await blocked.result(), connection_lost);
    // Made again in the background: the next command waits for it, then succeeds.
    const std::int64_t new_id = (co_await redis.command("CLIENT", "ID")).integer;
    EXPECT_NE(new_id, id);
  });
}

TEST(RedisFault, ServerDownGivesUnavailableAndServiceComesBack) {
  client redis(test_options());
  cogi::testing::with_open(redis, [&]() -> asio::awaitable<void> {
    subscription news = co_await redis.subscribe(key("news"));
    cogi::testing::control_services("stop-redis");
    int failed = 0;
    for (int i = 0; i < 3; ++i) {
      try {
        co_await redis.command("PING");
      } catch (const connection_lost&) {
        ++failed;
      } catch (const unavailable&) {
        ++failed;
      }
    }
    EXPECT_EQ(failed, 3);
    cogi::testing::control_services("start-redis");
    const auto back = std::chrono::steady_clock::now();
    for (;;) {
      try {
        if ((co_await redis.command("PING")).text == "PONG") break;
      } catch (const unavailable&) {
      } catch (const connection_lost&) {
      }
      if (std::chrono::steady_clock::now() - back > scaled(5s)) throw std::runtime_error("no reconnection");
      const auto executor = co_await asio::this_coro::executor;
      co_await asio::post(executor, asio::use_awaitable);  // let the reconnection run
    }
    EXPECT_LT(std::chrono::steady_clock::now() - back, scaled(2s));
    // The subscription was made again on the new connection.
    bool delivered = false;
    for (int attempt = 0; attempt < 100 && !delivered; ++attempt) {
      delivered = co_await redis.publish(key("news"), "back") == 1;
      if (!delivered) {
        const auto executor = co_await asio::this_coro::executor;
        co_await asio::post(executor, asio::use_awaitable);
      }
    }
    EXPECT_TRUE(delivered);
    EXPECT_EQ((co_await news.next()).payload, "back");
  });
}

}  // namespace
}  // namespace cogi::redis
