#pragma once
// permessage-deflate (RFC 7692): agreeing on it in the handshake, and compressing and
// inflating messages with zlib's raw deflate. Off unless the server enables it.
//
// Memory is the cost: zlib keeps a window per direction for the whole connection when
// context takeover is on (the default), and a deflate state besides. The defaults keep
// both windows at 2^12 bytes and zlib's memLevel at 5, as Python's websockets does,
// which holds a connection's compression state near 60 KiB; memory_per_connection()
// says what a configuration costs.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cogi/server/http/websocket/message_reader.hpp"

namespace cogi::http::websocket {

// The server's side of the bargain.
struct deflate_settings {
  bool enabled = false;
  // The largest windows (8-15 for the client's, 9-15 for ours: zlib has no 256-byte
  // raw deflate window) we use, or ask the client to use when it lets us (§7.1.2).
  int server_max_window_bits = 12;
  int client_max_window_bits = 12;
  // Start every message we send from an empty window: less memory kept between
  // messages (the deflate state is then made per message), less compression.
  bool server_no_context_takeover = false;
  int memory_level = 5;  // zlib's memLevel, 1-9
  int compression_level = 6;
  // Messages shorter than this go uncompressed (deflate's overhead beats its gain).
  std::size_t min_size = 64;
};

// What was agreed for one connection (§7.1).
struct deflate_agreement {
  int server_max_window_bits = 15;
  int client_max_window_bits = 15;
  bool server_no_context_takeover = false;
  bool client_no_context_takeover = false;
  // The Sec-WebSocket-Extensions value of the 101 answer.
  std::string response_header() const;
};

// Picks the first offer in the client's Sec-WebSocket-Extensions fields that the server
// can accept (§5.1): an offer with an unknown, repeated or malformed parameter is
// declined and the next one tried. nullopt: none (or compression is off).
std::optional<deflate_agreement> negotiate_deflate(std::span<const std::string_view> extension_fields,
                                                   const deflate_settings& settings);

// Bytes of zlib state a connection keeps between messages under `agreement`.
std::size_t memory_per_connection(const deflate_agreement& agreement, const deflate_settings& settings);

// Compresses outgoing messages (§7.2.1) and inflates incoming ones (§7.2.2) for one
// connection.
class deflate_codec final : public message_inflater {
 public:
  deflate_codec(const deflate_agreement& agreement, const deflate_settings& settings);
  ~deflate_codec() override;
  deflate_codec(const deflate_codec&) = delete;
  deflate_codec& operator=(const deflate_codec&) = delete;

  // Whether a message of this size is worth compressing.
  bool should_compress(std::size_t size) const { return size >= min_size_; }
  // The compressed payload of a whole message into `out` (replaced), without the
  // 00 00 ff ff tail that every sync flush ends with.
  void compress(std::string_view message, std::string& out);

  result inflate(std::string_view compressed, bool last, std::string& out, std::size_t limit) override;

 private:
  struct zlib_streams;
  std::unique_ptr<zlib_streams> z_;
  std::size_t min_size_;
};

}  // namespace cogi::http::websocket
