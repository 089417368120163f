#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace cogi::testing {
namespace {

std::string lower(std::string text) {
  for (auto& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
  return text;
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

}  // namespace

std::optional<std::string> http_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return std::nullopt;
}

raw_client::raw_client(std::uint16_t port, std::chrono::milliseconds timeout) : timeout_(timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error(std::string("connect failed: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

raw_client raw_client::unix_socket(const std::string& path, std::chrono::milliseconds timeout) {
  raw_client client;
  client.timeout_ = timeout;
  client.fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::connect(client.fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error(std::string("connect failed: ") + std::strerror(errno));
  return client;
}

raw_client::raw_client(raw_client&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), timeout_(other.timeout_), buffer_(std::move(other.buffer_)) {}

raw_client::~raw_client() {
  if (fd_ >= 0) ::close(fd_);
}

void raw_client::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void raw_client::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

void raw_client::fill() {
  if (!wait_readable(fd_, timeout_)) throw std::runtime_error("timed out waiting for the server");
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n == 0) throw std::runtime_error("connection closed by the server");
  if (n < 0) throw std::runtime_error(std::string("recv failed: ") + std::strerror(errno));
  buffer_.append(chunk, static_cast<std::size_t>(n));
}

std::string raw_client::read_line() {
  for (;;) {
    if (const auto end = buffer_.find("\r\n"); end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    fill();
  }
}

http_response raw_client::read_response(bool head_request) {
  http_response response;
  const std::string status_line = read_line();
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) throw std::runtime_error("bad status line: " + status_line);
  response.status = std::stoi(status_line.substr(9, 3));
  response.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  for (std::string line = read_line(); !line.empty(); line = read_line()) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) throw std::runtime_error("bad header line: " + line);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.emplace_back(lower(line.substr(0, colon)), value);
  }
  const bool no_body = head_request || response.status == 204 || response.status == 304 || response.status < 200;
  if (no_body) return response;
  if (auto length = response.header("content-length")) {
    const std::size_t n = std::stoull(*length);
    while (buffer_.size() < n) fill();
    response.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
  } else if (response.header("transfer-encoding") == "chunked") {
    response.chunked = true;
    for (;;) {
      const std::size_t size = std::stoull(read_line(), nullptr, 16);
      if (size == 0) {
        while (!read_line().empty()) {}
        break;
      }
      while (buffer_.size() < size + 2) fill();
      response.body.append(buffer_, 0, size);
      buffer_.erase(0, size + 2);
    }
  } else {
    response.body = buffer_ + read_until_close();
    buffer_.clear();
  }
  return response;
}

std::string raw_client::read_until_close() {
  std::string all;
  for (;;) {
    if (!wait_readable(fd_, timeout_)) throw std::runtime_error("timed out waiting for close");
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return all;
    all.append(chunk, static_cast<std::size_t>(n));
  }
}

bool raw_client::closed_by_peer(std::chrono::milliseconds wait) {
  if (!buffer_.empty()) return false;
  if (!wait_readable(fd_, wait)) return false;
  char byte;
  const auto n = ::recv(fd_, &byte, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

std::string raw_client::read_available(std::chrono::milliseconds wait) {
  std::string all = std::move(buffer_);
  buffer_.clear();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (auto now = std::chrono::steady_clock::now(); now < deadline; now = std::chrono::steady_clock::now()) {
    if (!wait_readable(fd_, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now))) break;
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    all.append(chunk, static_cast<std::size_t>(n));
  }
  return all;
}

std::string raw_client::read_some() {
  if (!buffer_.empty()) return std::exchange(buffer_, {});
  if (!wait_readable(fd_, timeout_)) return {};
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  return n <= 0 ? std::string() : std::string(chunk, static_cast<std::size_t>(n));
}

std::string raw_client::read_until_contains(std::string_view text) {
  std::string all = std::move(buffer_);
  buffer_.clear();
  while (all.find(text) == std::string::npos) {
    if (!wait_readable(fd_, timeout_)) throw std::runtime_error("timed out waiting for: " + std::string(text));
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) throw std::runtime_error("connection closed before: " + std::string(text));
    all.append(chunk, static_cast<std::size_t>(n));
  }
  return all;
}

http_response get(std::uint16_t port, std::string_view target) {
  raw_client client(port);
  client.send("GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  return client.read_response();
}

}  // namespace cogi::testing
