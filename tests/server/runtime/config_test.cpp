#include "cogi/server/runtime/config.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace cogi {
namespace {

std::map<std::string, std::string> fake_environment;

const char* lookup(const char* name) {
  const auto found = fake_environment.find(name);
  return found == fake_environment.end() ? nullptr : found->second.c_str();
}

parse_result parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  fake_environment = std::move(env);
  args.insert(args.begin(), "demo");
  return parse_command_line(static_cast<int>(args.size()), args.data(), {}, &lookup);
}

TEST(Config, DefaultsFollowTheDesign) {
  const auto result = parse({});
  ASSERT_TRUE(result.config);
  const auto& c = *result.config;
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.limits.max_target_bytes, 8u * 1024);
  EXPECT_EQ(c.limits.max_header_bytes, 32u * 1024);
  EXPECT_EQ(c.limits.max_header_count, 100u);
  EXPECT_EQ(c.limits.max_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(c.limits.keep_alive_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.graceful_shutdown_timeout, std::chrono::seconds(30));
  EXPECT_GE(c.loop_count(), 1u);
}

TEST(Config, FlagsInBothSpellings) {
  const auto result = parse({"--port", "9000", "--loops=3", "--timeout-keep-alive", "2.5", "--reuse-port",
                             "--limit-body-bytes", "100"});
  ASSERT_TRUE(result.config) << result.message;
  EXPECT_EQ(result.config->port, 9000);
  EXPECT_EQ(result.config->loops, 3u);
  EXPECT_EQ(result.config->limits.keep_alive_timeout, std::chrono::milliseconds(2500));
  EXPECT_TRUE(result.config->reuse_port);
  EXPECT_EQ(result.config->limits.max_body_bytes, 100u);
  EXPECT_FALSE(parse({"--reuse-port", "--no-reuse-port"}).config->reuse_port);
}

TEST(Config, EnvironmentIsBelowFlags) {
  auto from_env = parse({}, {{"COGI_PORT", "7000"}, {"COGI_TIMEOUT_GRACEFUL_SHUTDOWN", "1"}, {"COGI_REUSE_PORT", "true"}});
  ASSERT_TRUE(from_env.config) << from_env.message;
  EXPECT_EQ(from_env.config->port, 7000);
  EXPECT_EQ(from_env.config->graceful_shutdown_timeout, std::chrono::seconds(1));
  EXPECT_TRUE(from_env.config->reuse_port);
  EXPECT_EQ(parse({"--port", "7001"}, {{"COGI_PORT", "7000"}}).config->port, 7001);
}

TEST(Config, AsyncToolkitSettings) {
  const auto defaults = parse({});
  EXPECT_EQ(defaults.config->stall_threshold, std::chrono::milliseconds(100));
  EXPECT_EQ(defaults.config->blocking_threads, 0u);
  const auto set = parse({"--stall-threshold", "0.25"}, {{"COGI_BLOCKING_THREADS", "8"}});
  ASSERT_TRUE(set.config) << set.message;
  EXPECT_EQ(set.config->stall_threshold, std::chrono::milliseconds(250));
  EXPECT_EQ(set.config->blocking_threads, 8u);
  EXPECT_FALSE(parse({"--blocking-threads", "lots"}).config);
}

TEST(Config, BindsAndUnixSocket) {
  auto result = parse({"--bind", "127.0.0.1:1", "--bind", "[::1]:2", "--uds", "/tmp/x.sock"});
  ASSERT_TRUE(result.config) << result.message;
  const auto endpoints = result.config->tcp_endpoints();
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints[1].host, "::1");
  EXPECT_EQ(endpoints[1].port, 2);
  EXPECT_EQ(result.config->uds, "/tmp/x.sock");
  EXPECT_TRUE(parse({"--uds", "/tmp/x.sock"}).config->tcp_endpoints().empty());
  // A flag list replaces the environment's list rather than adding to it.
  auto both = parse({"--bind", "127.0.0.1:3"}, {{"COGI_BIND", "127.0.0.1:1,127.0.0.1:2"}});
  ASSERT_EQ(both.config->tcp_endpoints().size(), 1u);
  EXPECT_EQ(parse({}, {{"COGI_BIND", "127.0.0.1:1,127.0.0.1:2"}}).config->tcp_endpoints().size(), 2u);
}

TEST(Config, BadValuesExplainThemselvesWithStatus2) {
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {"--port", "http"}, {"--port", "70000"}, {"--loops", "-1"}, {"--timeout-keep-alive", "soon"},
           {"--bind", "nohost"}, {"--log-level", "loud"}, {"--unknown"}, {"--port"}, {"stray"}}) {
    const auto result = parse(args);
    EXPECT_FALSE(result.config) << args[0];
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_FALSE(result.message.empty());
  }
  EXPECT_NE(parse({"--port", "http"}).message.find("--port"), std::string::npos);
  EXPECT_NE(parse({}, {{"COGI_PORT", "x"}}).message.find("COGI_PORT"), std::string::npos);
}

TEST(Config, HelpListsEveryFlagWithItsDefault) {
  const auto result = parse({"--help"});
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag : {"--host", "--port", "--bind", "--uds", "--loops", "--reuse-port", "--backlog",
                           "--timeout-keep-alive", "--timeout-graceful-shutdown", "--limit-body-bytes", "COGI_"})
    EXPECT_NE(result.message.find(flag), std::string::npos) << flag;
  EXPECT_NE(result.message.find("[default: 8000]"), std::string::npos);
}

server_config with_app_options() {
  server_config defaults;
  defaults.app_options = {
      {"database-url", "The database.", "postgresql:///default", nullptr},
      {"db-pool-size", "Connections per loop.", "4",
       [](std::string_view v) {
         if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos)
           throw std::invalid_argument("expected a positive integer");
       }},
  };
  return defaults;
}

parse_result parse_app(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  fake_environment = std::move(env);
  args.insert(args.begin(), "app");
  return parse_command_line(static_cast<int>(args.size()), args.data(), with_app_options(), &lookup);
}

TEST(Config, AppOptionsFollowTheSameRulesAsTheServers) {
  EXPECT_EQ(parse_app({}).config->option("database-url"), "postgresql:///default");
  // The environment (COGI_<NAME>) replaces the default; a flag replaces both.
  const auto from_env = parse_app({}, {{"COGI_DATABASE_URL", "postgresql://env/db"}});
  EXPECT_EQ(from_env.config->option("database-url"), "postgresql://env/db");
  const auto from_flag =
      parse_app({"--database-url", "postgresql://flag/db", "--db-pool-size=8", "--port", "0"},
                {{"COGI_DATABASE_URL", "postgresql://env/db"}});
  ASSERT_TRUE(from_flag.config);
  EXPECT_EQ(from_flag.config->option("database-url"), "postgresql://flag/db");
  EXPECT_EQ(from_flag.config->option("db-pool-size"), "8");
  EXPECT_EQ(from_flag.config->port, 0);
  EXPECT_THROW(from_flag.config->option("nothing"), std::out_of_range);
}

TEST(Config, AppOptionsAreCheckedAndListed) {
  const auto bad = parse_app({"--db-pool-size", "many"});
  EXPECT_FALSE(bad.config);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.message, "invalid value for --db-pool-size: expected a positive integer");
  const auto bad_env = parse_app({}, {{"COGI_DB_POOL_SIZE", "-1"}});
  EXPECT_EQ(bad_env.message, "invalid value for COGI_DB_POOL_SIZE: expected a positive integer");
  EXPECT_EQ(parse_app({"--database-url"}).message, "option '--database-url' needs a value");
  const auto help = parse_app({"--help"});
  EXPECT_NE(help.message.find("Options of app:"), std::string::npos) << help.message;
  EXPECT_NE(help.message.find("--db-pool-size VALUE\n      Connections per loop. [default: 4]"), std::string::npos)
      << help.message;
  // Without them, the server's own flags only.
  EXPECT_EQ(parse({"--database-url", "x"}).exit_code, 2);
}

}  // namespace
}  // namespace cogi
