#pragma once
// One client connection to an origin: the socket, a read buffer, the response parser,
// and a timer that enforces the request's deadlines on every read and write (a read or
// write outlasting its deadline is cancelled, and timeout_error says which deadline).
// Made by open(), used by one request at a time, kept between requests by the pool.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "cogi/clients/http/errors.hpp"
#include "cogi/clients/http/response_parser.hpp"
#include "cogi/clients/http/url.hpp"

namespace cogi::fetch {

using clock = std::chrono::steady_clock;

// The deadlines a request runs under (time_point::max() when none).
struct deadlines {
  clock::time_point total = clock::time_point::max();
  clock::duration read_timeout = clock::duration::max();
  clock::duration connect_timeout = clock::duration::max();
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // Resolves the host (off the loop: resolver.hpp) and connects to its addresses in
  // turn. Throws dns_error, connect_error or timeout_error (connect, or total).
  static asio::awaitable<std::shared_ptr<connection>> open(const url& where, const deadlines& limits,
                                                           const parse_limits& parsing);

  connection(asio::ip::tcp::socket socket, std::string origin, const parse_limits& parsing);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  const std::string& origin() const { return origin_; }

  // Writes all of `data`. Throws connection_error or timeout_error.
  asio::awaitable<void> write(std::string_view data, const deadlines& limits);

  // Reads what the server sends next into the parser; body bytes go to `body`. Returns
  // false at the end of the connection (the parser has been told). Throws
  // connection_error, timeout_error, or what the parser throws.
  asio::awaitable<bool> read_into_parser(const deadlines& limits, std::string& body);
  response_parser& parser() { return parser_; }
  // Bytes received after the response's end (a server that sends what was not asked
  // for: the connection cannot be trusted with another request).
  bool has_unread_bytes() const { return read_begin_ < read_end_; }

  // Whether nothing has been received on this connection since the last response: a
  // request that failed before any of its response came may be sent again elsewhere.
  bool response_started() const { return response_started_; }
  // Readies the parser for the response to a new request.
  void begin_request(bool head_request, std::size_t max_body_size);
  std::size_t requests() const { return requests_; }

  // For the pool: an idle connection the server has closed (or sent to unasked) reads
  // as not reusable.
  bool reusable_now();
  void close();
  clock::time_point idle_since;

 private:
  void arm(clock::time_point deadline, timeout_error::phase phase);
  void disarm();
  [[noreturn]] void fail(const std::error_code& error, const char* doing);

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::string origin_;
  response_parser parser_;
  std::string in_;
  std::size_t read_begin_ = 0;
  std::size_t read_end_ = 0;
  std::size_t requests_ = 0;
  bool response_started_ = false;
  std::uint64_t armed_ = 0;  // which arming the timer's wait belongs to
  bool timed_out_ = false;
  timeout_error::phase timed_out_phase_ = timeout_error::phase::read;
};

}  // namespace cogi::fetch
