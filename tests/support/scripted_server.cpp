#include "tests/support/scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace cogi::testing {

std::string scripted_connection::read_head() {
  for (;;) {
    const auto end = buffered_.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string head = buffered_.substr(0, end + 4);
      buffered_.erase(0, end + 4);
      return head;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return {};
    buffered_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool scripted_connection::read_body(std::size_t n, std::string& out) {
  while (buffered_.size() < n) {
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got <= 0) return false;
    buffered_.append(chunk, static_cast<std::size_t>(got));
  }
  out = buffered_.substr(0, n);
  buffered_.erase(0, n);
  return true;
}

void scripted_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went: the script goes on, its sends fail quietly
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void scripted_connection::wait_for_close() {
  char chunk[4096];
  while (::recv(fd_, chunk, sizeof(chunk), 0) > 0) {
  }
}

void scripted_connection::reset() {
  const linger abort_on_close{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
}

scripted_server::scripted_server(script behaviour) : behaviour_(std::move(behaviour)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("scripted_server: cannot listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

scripted_server::~scripted_server() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    // Scripts blocked in a read end when their sockets are shut down.
    for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  acceptor_.join();
  for (auto& worker : workers_) worker.join();
}

void scripted_server::accept_loop() {
  for (;;) {
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;  // the listener was shut down
    }
    const std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    open_fds_.push_back(fd);
    const std::size_t index = accepted_++;
    workers_.emplace_back([this, fd, index] {
      scripted_connection connection(fd);
      connection.index = index;
      behaviour_(connection);
      const std::lock_guard done(mutex_);
      std::erase(open_fds_, fd);
      ::close(fd);
      ++ended_;
      ended_changed_.notify_all();
    });
  }
}

std::size_t scripted_server::connections() const {
  const std::lock_guard lock(mutex_);
  return accepted_;
}

bool scripted_server::wait_for_ended(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return ended_changed_.wait_for(lock, timeout, [&] { return ended_ >= n; });
}

}  // namespace cogi::testing
