#pragma once
// nginx (Debian's, /usr/sbin/nginx; scripts/setup.sh installs it with the test
// packages) serving a directory on a free loopback port, as a child process with a
// configuration of its own in a temporary directory: for tests of cogi's HTTP client
// against a server it did not write. Static files with gzip, keep-alive, and whatever
// `locations` adds to the server block.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/child_process.hpp"

namespace cogi::testing {

class nginx_process {
 public:
  // `root` is served at /; `locations` is nginx configuration inside the server block.
  explicit nginx_process(const std::filesystem::path& root, const std::string& locations = "");
  ~nginx_process();
  nginx_process(const nginx_process&) = delete;
  nginx_process& operator=(const nginx_process&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace cogi::testing
