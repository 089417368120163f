#pragma once
// Everything the server can be told on its command line (docs/cli.md). Each flag also
// reads COGI_<NAME> from the environment (--timeout-keep-alive: COGI_TIMEOUT_KEEP_ALIVE);
// a flag beats the environment, which beats the default.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/websocket/settings.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct endpoint_spec {
  std::string host;
  std::uint16_t port = 0;
};

// A program's own setting (--database-url, say), parsed beside the server's: the same
// COGI_<NAME> environment rule, listed by --help under the program's options.
struct app_option {
  std::string name;   // the flag without "--"
  std::string help;
  std::string value;  // the default; the environment, then the flag, replace it
  // Throws std::invalid_argument (its message shown) for a value the program cannot
  // use; optional.
  std::function<void(std::string_view)> check;
};

struct server_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::vector<endpoint_spec> binds;  // --bind HOST:PORT (repeatable), replaces host/port
  std::string uds;                   // --uds PATH: also listen on a Unix socket
  unsigned loops = 0;                // 0: one per core
  bool reuse_port = false;           // one SO_REUSEPORT listener per loop
  int backlog = 2048;
  std::string root_path;
  std::string log_level = "info";
  std::string log_format = "text";  // text or json (server/contract/log.hpp)
  // Access log, written by the runner for every app (server/http/access_log_format.hpp).
  bool access_log = false;
  std::string access_log_format = "combined";  // common, combined, json or % directives
  // The runner's own endpoints, answered before the app (docs/operations.md); "" turns
  // one off. Requests to them are neither access-logged (unless log_probes) nor counted
  // in the request metrics.
  std::string health_path = "/healthz";
  std::string ready_path = "/readyz";
  std::string metrics_path = "/metrics";
  bool log_probes = false;
  // --healthcheck: ask the server these settings describe for its health endpoint and
  // exit (0: healthy), instead of serving (server/runtime/healthcheck.hpp).
  bool healthcheck = false;
  // X-Forwarded-For/Proto from these proxies (server/http/forwarded.hpp), uvicorn's default.
  bool proxy_headers = true;
  std::string forwarded_allow_ips = "127.0.0.1";
  std::chrono::milliseconds graceful_shutdown_timeout{30'000};
  std::chrono::milliseconds stall_threshold{100};  // 0: no loop-stall warnings
  unsigned blocking_threads = 0;  // run_blocking()'s pool; 0: min(32, cores + 4)
  http::limits limits;
  http::websocket::settings websocket;  // --ws-* (docs/websocket.md)
  std::vector<app_option> app_options;

  // The value of app option `name`; throws std::out_of_range for an undeclared name.
  const std::string& option(std::string_view name) const;
  // Listening endpoints, whichever way they were given.
  std::vector<endpoint_spec> tcp_endpoints() const;
  // --loops, or when 0 the CPUs this process may use: its affinity mask, and the CPU
  // quota of its cgroup (a container's --cpus, a Kubernetes CPU limit), rounded up.
  unsigned loop_count() const;

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(host, port, binds, uds, loops, reuse_port, backlog, root_path, log_level, log_format,
                      access_log, access_log_format, health_path, ready_path, metrics_path, log_probes, healthcheck,
                      proxy_headers, forwarded_allow_ips, graceful_shutdown_timeout, stall_threshold,
                      blocking_threads, limits, websocket, app_options)
};

// The outcome of parsing: a config, or a message and exit status (0 for --help).
struct parse_result {
  std::optional<server_config> config;
  std::string message;
  int exit_code = 0;
};

// Parses argv and the environment. `environment` is looked up by name (getenv by
// default; tests pass their own).
using environment_lookup = const char* (*)(const char* name);
parse_result parse_command_line(int argc, const char* const argv[], const server_config& defaults = {},
                                environment_lookup environment = nullptr);

std::string help_text(const char* program, const server_config& defaults = {});

}  // namespace cogi
