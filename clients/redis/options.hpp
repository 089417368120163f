#pragma once
// How a program reaches Redis, and the limits its connections keep.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi::redis {

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string username;  // with password: AUTH through HELLO (ACL users)
  std::string password;  // empty: no AUTH
  int database = 0;      // SELECT, when not 0
  std::string client_name = "cogi";
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds acquire_timeout{2'000};   // waiting for a connection
  std::chrono::milliseconds command_timeout{5'000};   // waiting for a reply
  std::chrono::milliseconds reconnect_delay_max{1'000};

  // redis://[[username]:password@]host[:port][/database]; throws std::invalid_argument.
  static options from_url(std::string_view url);

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(host, port, username, password, database, client_name, connect_timeout, acquire_timeout,
                      command_timeout, reconnect_delay_max)
};

}  // namespace cogi::redis
