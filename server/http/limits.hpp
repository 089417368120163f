#pragma once
// Request limits and timeouts (docs/http.md). Each is a command-line flag.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include "cogi/server/contract/option_setters.hpp"

namespace cogi::http {

struct limits {
  std::size_t max_target_bytes = 8 * 1024;           // 414 beyond
  std::size_t max_header_bytes = 32 * 1024;          // whole head; 431 beyond
  std::size_t max_header_count = 100;                // 431 beyond
  std::uint64_t max_body_bytes = 16 * 1024 * 1024;   // 413 beyond (0: unlimited)
  std::uint64_t max_requests_per_connection = 0;     // 0: unlimited
  std::chrono::milliseconds header_timeout{10'000};  // slowloris: whole head must arrive
  std::chrono::milliseconds body_timeout{30'000};    // idle gap while reading a body
  std::chrono::milliseconds keep_alive_timeout{5'000};

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(max_target_bytes, max_header_bytes, max_header_count, max_body_bytes,
                      max_requests_per_connection, header_timeout, body_timeout, keep_alive_timeout)
};

}  // namespace cogi::http
