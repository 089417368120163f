#pragma once
// One Redis connection on one loop, shared by every coroutine of that loop: commands
// from all of them go out in the order they are issued, those issued in one turn of
// the loop in one write (automatic pipelining), and replies come back in the same order
// to whoever waits for each. Push messages (RESP3's out-of-band frames: pub/sub
// messages) go to the push handler instead.
//
// The building block of redis::client (client.hpp), which keeps one per loop and
// replaces it when it breaks.

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/clients/redis/error.hpp"
#include "cogi/clients/redis/options.hpp"
#include "cogi/clients/redis/resp.hpp"
#include "cogi/clients/redis/value.hpp"
#include "cogi/server/async/event.hpp"

namespace cogi::redis {

class connection : public std::enable_shared_from_this<connection> {
 public:
  // Connects, switches to RESP3 (HELLO 3, with AUTH when a password is set) and selects
  // the database. Throws unavailable (cannot connect, connect_timeout passed) or
  // server_error (refused: wrong password, ...).
  static asio::awaitable<std::shared_ptr<connection>> open(const options& settings);

  connection(asio::any_io_executor executor, const options& settings);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Sends `commands` (RESP-encoded, holding `replies` commands) and waits for their
  // replies, in order. Error replies are values (value::is_error). Throws
  // connection_lost, command_timeout, or the caller's cancellation (the replies are then
  // read and dropped when they come).
  asio::awaitable<std::vector<value>> run(std::string_view commands, std::size_t replies);
  asio::awaitable<value> run(std::string_view command);
  // Sends commands whose answers come as push frames (SUBSCRIBE, UNSUBSCRIBE).
  void send_without_reply(std::string_view commands);

  bool is_open() const { return socket_.is_open(); }
  std::size_t in_flight() const { return queue_.size(); }

  void on_push(std::function<void(value&)> handler) { on_push_ = std::move(handler); }
  // Called once when the connection breaks (not on close()).
  void on_lost(std::function<void()> callback) { on_lost_ = std::move(callback); }
  // Closes it; commands in flight fail with connection_lost(`why`).
  void close(std::string_view why);

 private:
  struct waiter {
    async::event done;
    std::vector<value> replies;
    std::size_t expected = 0;
    std::exception_ptr error;
    bool finished = false;
  };
  struct entry {
    waiter* owner;  // nullptr once abandoned: the reply is dropped
    std::chrono::steady_clock::time_point deadline;
  };

  static asio::awaitable<std::shared_ptr<connection>> connect(const options& settings);
  void start_reading();
  void on_read(std::size_t bytes);
  void deliver(value reply);
  void queue_write(std::string_view bytes);
  void write_pending();
  void arm_deadline();
  void lose(std::string_view why);
  void fail_all(const std::exception_ptr& error);
  void abandon(const waiter& w);

  asio::any_io_executor executor_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_timer_;
  std::chrono::milliseconds command_timeout_;
  parser replies_;
  char read_buffer_[16 * 1024];
  std::string pending_write_;  // commands issued since the last write began
  std::string writing_;        // the bytes of the write in progress
  bool write_scheduled_ = false;
  bool deadline_armed_ = false;
  std::deque<entry> queue_;  // one entry per expected reply
  std::function<void(value&)> on_push_;
  std::function<void()> on_lost_;
};

}  // namespace cogi::redis
