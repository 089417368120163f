#pragma once
// A deliberately misbehaving HTTP server for client tests: it listens on loopback, and
// for each connection runs a script on a thread of its own with blocking socket calls:
// read a request head, answer with raw bytes (wrong ones, too many, too few), go
// silent, close or reset. It counts connections and notes when each one's client
// closed, so that tests wait for what happened instead of for a time.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cogi::testing {

// One connection, as its script sees it.
class scripted_connection {
 public:
  explicit scripted_connection(int fd) : fd_(fd) {}
  // The next request head (through the empty line), or "" once the client closed.
  std::string read_head();
  // Reads exactly n bytes of body (false: the client closed first).
  bool read_body(std::size_t n, std::string& out);
  void send(std::string_view bytes);
  // Waits until the client closes its side (what a silent server does).
  void wait_for_close();
  // Makes the close when the script returns a TCP reset (SO_LINGER 0) rather than a FIN.
  void reset();
  std::size_t index = 0;  // 0 for the server's first connection, 1 for the next...

 private:
  int fd_;
  std::string buffered_;
};

class scripted_server {
 public:
  using script = std::function<void(scripted_connection&)>;
  explicit scripted_server(script behaviour);
  ~scripted_server();
  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  std::uint16_t port() const { return port_; }
  std::size_t connections() const;
  // Waits until `n` connections have ended (their scripts returned); false on timeout.
  bool wait_for_ended(std::size_t n, std::chrono::milliseconds timeout);

 private:
  void accept_loop();
  script behaviour_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::condition_variable ended_changed_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::size_t accepted_ = 0;
  std::size_t ended_ = 0;
  bool stopping_ = false;
};

}  // namespace cogi::testing
