#pragma once
// A parsed, validated request head. All views point into the connection's buffer, which
// holds the head unchanged until the request is finished.

#include <cstdint>
#include <string_view>
#include <vector>

#include "cogi/server/contract/scope.hpp"

namespace cogi::http {

enum class body_framing { none, content_length, chunked };

struct request_head {
  std::string_view method;
  std::string_view target;        // as received
  std::string_view raw_path;      // target without query (and without scheme://authority)
  std::string_view query_string;  // after '?', without it
  int version_minor = 1;          // HTTP/1.<minor>
  std::vector<header_field> headers;    // names lower-cased; capacity reused across requests
  body_framing framing = body_framing::none;
  std::uint64_t content_length = 0;  // when framing == content_length
  bool keep_alive = true;            // from version and Connection
  bool expect_continue = false;      // Expect: 100-continue

  std::string_view http_version() const { return version_minor == 0 ? "1.0" : "1.1"; }
};

}  // namespace cogi::http
