#pragma once
// A cogi::server running in the test process on a free loopback port, stopped (gracefully)
// when the object goes away.

#include <cstdint>

#include "cogi/server/runtime/server.hpp"

namespace cogi::testing {

class running_server {
 public:
  // Binds 127.0.0.1:0 unless the config lists other endpoints; one loop by default.
  explicit running_server(app_fn app, server_config config = quiet_config());
  ~running_server();

  std::uint16_t port() const { return port_; }
  cogi::server& get() { return server_; }

  static server_config quiet_config();

 private:
  cogi::server server_;
  std::uint16_t port_ = 0;
};

}  // namespace cogi::testing
