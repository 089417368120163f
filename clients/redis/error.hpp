#pragma once
// What a Redis call can throw; every error is a redis::error:
// - server_error: Redis answered with an error (WRONGTYPE, NOAUTH, ...): code() is its
//   first word; the connection is fine;
// - connection_lost: the connection broke with the command in flight: its fate is
//   unknown; the client reconnects by itself;
// - unavailable: no connection within options::acquire_timeout (Redis is down);
// - command_timeout: no reply within options::command_timeout; the connection is
//   dropped and made again (a late reply would answer the wrong command otherwise);
// - protocol_error (resp.hpp): the server's bytes are not RESP3.

#include <stdexcept>
#include <string>
#include <string_view>

namespace cogi::redis {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class server_error : public error {
 public:
  explicit server_error(std::string message);
  // The error's code, its first word: "ERR", "WRONGTYPE", "NOAUTH", ...
  std::string_view code() const;
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

class connection_lost : public error {
 public:
  explicit connection_lost(std::string_view why) : error("the Redis connection was lost: " + std::string(why)) {}
};

class unavailable : public error {
 public:
  explicit unavailable(std::string_view why) : error("Redis is unavailable: " + std::string(why)) {}
};

class command_timeout : public error {
 public:
  command_timeout() : error("Redis did not answer in time") {}
};

}  // namespace cogi::redis
