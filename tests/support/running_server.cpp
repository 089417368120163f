#include "tests/support/running_server.hpp"

namespace cogi::testing {

server_config running_server::quiet_config() {
  server_config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.loops = 1;
  config.graceful_shutdown_timeout = std::chrono::seconds(5);
  return config;
}

running_server::running_server(app_fn app, server_config config) : server_(std::move(app), std::move(config)) {
  server_.start();
  const auto endpoints = server_.tcp_endpoints();
  if (!endpoints.empty()) port_ = endpoints.front().port();
}

running_server::~running_server() {
  server_.shutdown();
  server_.wait();
}

}  // namespace cogi::testing
