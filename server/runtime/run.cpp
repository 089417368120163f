#include "cogi/server/runtime/run.hpp"

#include <csignal>
#include <cstdio>

#include "cogi/server/contract/log.hpp"
#include "cogi/server/runtime/healthcheck.hpp"
#include "cogi/server/runtime/server.hpp"

namespace cogi {

int report(const parse_result& parsed) {
  std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
  if (parsed.exit_code != 0) std::fputc('\n', stderr);
  return parsed.exit_code;
}

int run(app_fn app, int argc, const char* const argv[], const server_config& defaults) {
  const parse_result parsed = parse_command_line(argc, argv, defaults);
  if (!parsed.config) return report(parsed);
  return run(std::move(app), *parsed.config);
}

int run(app_fn app, const server_config& config) {
  if (config.healthcheck) return runtime::check_health(config);
  log::set_level(log::parse_level(config.log_level));
  log::set_format(config.log_format == "json" ? log::format::json : log::format::text);
  // Writes to a closed peer must fail with EPIPE, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  server server(std::move(app), config);
  try {
    server.run();
  } catch (const startup_error& error) {
    log::error(std::string("Application startup failed: ") + error.what());
    return 3;
  } catch (const std::exception& error) {
    log::error(error.what());
    return 1;
  }
  return 0;
}

}  // namespace cogi
