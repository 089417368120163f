#include "tests/support/nginx_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "tests/support/waiting.hpp"

namespace cogi::testing {
namespace {

// A port nothing listens on now (the kernel's choice of a free one).
std::uint16_t free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(s);
  return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool connected = ::connect(s, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(s);
  return connected;
}

}  // namespace

nginx_process::nginx_process(const std::filesystem::path& root, const std::string& locations) {
  char pattern[] = "/tmp/cogi-nginx-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("nginx_process: no temporary directory");
  dir_ = pattern;
  port_ = free_port();
  const std::string d = dir_.string();
  std::ofstream(dir_ / "nginx.conf")
      << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << d << "/nginx.pid;\n"
      << "error_log " << d << "/error.log warn;\n"
      << "events { worker_connections 256; }\n"
      << "http {\n  access_log off;\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
      << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
      << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
      << "  scgi_temp_path " << d << "/scgi;\n"
      << "  keepalive_requests 10000;\n  keepalive_timeout 60s;\n"
      << "  gzip on;\n  gzip_min_length 256;\n  gzip_types text/plain text/css application/json;\n"
      << "  server {\n    listen 127.0.0.1:" << port_ << ";\n    root " << std::filesystem::absolute(root).string()
      << ";\n" << locations << "\n  }\n}\n";
  process_ = std::make_unique<child_process>("/usr/sbin/nginx", std::vector<std::string>{"-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log"});
  if (!eventually([this] { return accepts_connections(port_); }, scaled(std::chrono::milliseconds(10000)))) {
    throw std::runtime_error("nginx did not start: " + process_->output());
  }
}

nginx_process::~nginx_process() {
  process_.reset();  // kills it
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace cogi::testing
