// The usage shown in clients/redis/'s header comments, compiled and run as written
// against the test redis-server (tests/docs/check_snippets.py checks every snippet line
// appears in such a test).

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "cogi/clients/redis/client.hpp"
#include "cogi/framework/app.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/framework/test_client.hpp"
#include "tests/support/test_services.hpp"

namespace redis_snippets {

namespace redis = cogi::redis;

TEST(RedisSnippets, ClientHeader) {
  const std::string url = "redis://" + cogi::testing::services().redis_host + ":" +
                          std::to_string(cogi::testing::services().redis_port) + "/0";
  cogi::app app;
  // clients/redis/client.hpp
  redis::client cache(redis::options::from_url(url));   // redis://127.0.0.1:6379/0
  app.on_startup([&cache](cogi::state_map&) { return cache.open(); });   // each loop
  app.on_shutdown([&cache](cogi::state_map&) { return cache.close(); });

  app.get("/", [&](cogi::request&) -> cogi::task<> {
    co_await cache.set("greeting", "hello", std::chrono::seconds(60));
    std::optional<std::string> greeting = co_await cache.get("greeting");
    co_await cache.del("scores");
    redis::value reply = co_await cache.command("ZADD", "scores", 10, "ada");

    redis::subscription news = co_await cache.subscribe("news");
    co_await cache.publish("news", "out now");
    redis::message m = co_await news.next();   // m.channel, m.payload
    co_return cogi::text(*greeting + " " + std::to_string(reply.integer) + " " + m.channel + ":" + m.payload);
  });

  cogi::test_client client(app);
  EXPECT_EQ(client.get("/").body, "hello 1 news:out now");
}

}  // namespace redis_snippets
