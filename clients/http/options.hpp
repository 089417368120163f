#pragma once
// What a request carries besides its URL, and the client's defaults.
//
// request_options and body are views, trivially destructible: a call written the
// natural way, `co_await client.get(url, {.timeout = 2s})` or
// `co_await client.post(url, fetch::json(value))`, puts no object with a destructor
// into the co_await expression (GCC 12 destroys such temporaries twice,
// docs/compilers.md). What they point at (header arrays, the JSON value, the bytes)
// must live until the call returns, as a named variable or a literal does.
//
//   const cogi::fetch::field headers[] = {{"Authorization", token}};
//   auto r = co_await client.get(url, {.headers = headers, .timeout = 2s});

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <picojson.h>

#include "cogi/server/contract/function_ref.hpp"

#include "cogi/clients/http/response_parser.hpp"

namespace cogi::fetch {

using duration = std::chrono::steady_clock::duration;

struct field {
  std::string_view name;
  std::string_view value;
};

struct request_options {
  std::span<const field> headers;  // added to (and overriding) the client's defaults
  // Zero: the client's default (client_options).
  duration timeout{};          // the whole request: connecting, redirects, the body
  duration connect_timeout{};  // resolving the host and connecting
  duration read_timeout{};     // the longest the server may stay silent (or not read)
  int max_redirects = -1;      // -1: the client's; 0: a redirect is returned as it is
  std::size_t max_body_size = 0;
};

// A streamed body's next piece; nullopt when it is over. Sent with chunked framing as
// each piece comes, so a body need never be whole in memory.
using body_source = cogi::function_ref<asio::awaitable<std::optional<std::string>>()>;

// A request body. Make one with the functions below; it points at its content.
struct body {
  enum class kind { none, bytes, json_value, json_text, form, stream };
  kind what = kind::none;
  std::string_view data;          // bytes, json_text
  std::string_view content_type;  // bytes, stream
  const picojson::value* json_value = nullptr;
  std::span<const field> form_fields;
  std::optional<body_source> source;
  // A body that can be sent again (on a redirect that keeps it, or a retry on a
  // fresh connection): all but a stream.
  bool replayable() const { return what != kind::stream; }
};

// Content-Type application/octet-stream unless given.
inline body bytes(std::string_view data, std::string_view content_type = "application/octet-stream") {
  return body{body::kind::bytes, data, content_type, nullptr, {}, {}};
}
// Serialised when sent; Content-Type application/json.
inline body json(const picojson::value& value) { return body{body::kind::json_value, {}, {}, &value, {}, {}}; }
// Already JSON text, sent as it is.
inline body json_text(std::string_view text) { return body{body::kind::json_text, text, {}, nullptr, {}, {}}; }
// application/x-www-form-urlencoded.
inline body form(std::span<const field> fields) { return body{body::kind::form, {}, {}, nullptr, fields, {}}; }
// Pieces from `next` (a named callable, which must outlive the call), chunked.
inline body stream(body_source next, std::string_view content_type = "application/octet-stream") {
  return body{body::kind::stream, {}, content_type, nullptr, {}, next};
}

struct client_options {
  duration timeout = std::chrono::seconds(300);
  duration connect_timeout = std::chrono::seconds(30);
  duration read_timeout = std::chrono::seconds(60);
  int max_redirects = 10;
  std::string user_agent = "cogi-http-client";
  // Ask for gzip and deflate, and decode them. Off: bodies come as they were sent.
  bool decompress = true;
  parse_limits limits{};
  // Idle connections kept per origin on each loop, and for how long.
  std::size_t max_idle_per_origin = 32;
  duration idle_timeout = std::chrono::seconds(30);
};

}  // namespace cogi::fetch
