#include "server/runtime/run.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include "server/runtime/log.hpp"
#include "server/runtime/server.hpp"

namespace cogi {

int run(app_fn app, int argc, const char* const argv[], const server_config& defaults) {
  auto parsed = parse_command_line(argc, argv, defaults);
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    if (parsed.exit_code != 0) std::fputc('\n', stderr);
    return parsed.exit_code;
  }
  const server_config& config = *parsed.config;
  log::set_level(log::parse_level(config.log_level));
  // Writes to a closed peer must fail with EPIPE, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  // Signals are handled on their own small io_context and thread.
  asio::io_context signals_context(1);
  asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  server server(std::move(app), config);
  // A signal during start() is only recorded: start() is not safe to overlap with
  // shutdown(), so main() acts on it once start() has returned.
  std::atomic<bool> started{false};
  std::atomic<int> signals_seen{0};
  std::function<void(const asio::error_code&, int)> on_signal = [&](const asio::error_code& ec, int) {
    if (ec) return;
    if (++signals_seen == 1) {
      log::info("Shutting down (press CTRL+C again to force)");
      if (started) server.shutdown();
      signals.async_wait(on_signal);
    } else {
      log::warning("Forced exit");
      std::_Exit(1);
    }
  };
  signals.async_wait(on_signal);
  std::thread signal_thread([&] { signals_context.run(); });
  const auto stop_signal_thread = [&] {
    signals_context.stop();
    signal_thread.join();
  };

  try {
    log::info("Waiting for application startup.");
    server.start();
    log::info("Application startup complete.");
    started = true;
    if (signals_seen > 0) server.shutdown();  // idempotent if the handler got there too
  } catch (const startup_error& error) {
    log::error(std::string("Application startup failed: ") + error.what());
    stop_signal_thread();
    return 3;
  } catch (const std::exception& error) {
    log::error(error.what());
    stop_signal_thread();
    return 1;
  }
  server.wait();
  stop_signal_thread();
  log::info("Finished server process");
  return 0;
}

}  // namespace cogi
