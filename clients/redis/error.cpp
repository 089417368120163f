#include "cogi/clients/redis/error.hpp"

namespace cogi::redis {

server_error::server_error(std::string message) : error("Redis: " + message), message_(std::move(message)) {}

std::string_view server_error::code() const {
  const std::string_view m = message_;
  return m.substr(0, m.find(' '));
}

}  // namespace cogi::redis
