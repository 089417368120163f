#pragma once
// WebSocket limits and timeouts (docs/websocket.md). The command-line flags are
// uvicorn's: --ws-max-size, --ws-max-queue, --ws-ping-interval, --ws-ping-timeout,
// --ws-per-message-deflate.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "cogi/server/contract/option_setters.hpp"
#include "cogi/server/http/websocket/permessage_deflate.hpp"

namespace cogi::http::websocket {

struct settings {
  // The largest message a client may send (after decompression); 1009 beyond.
  std::uint64_t max_message_bytes = 16 * 1024 * 1024;
  // Messages received and not yet taken by the app's receive(): reading stops while
  // this many wait (the client's sends then back up in TCP).
  std::size_t max_queued_messages = 32;
  // A ping every ping_interval; no pong within ping_timeout closes the connection with
  // 1011. Zero: no pings.
  std::chrono::milliseconds ping_interval{20'000};
  std::chrono::milliseconds ping_timeout{20'000};
  // The app must accept or refuse within this after the connect event (else 503).
  std::chrono::milliseconds handshake_timeout{10'000};
  // After our close frame, how long the client has to answer with its own.
  std::chrono::milliseconds close_timeout{5'000};
  // No message either way for this long closes the connection with 1001. Zero: never.
  std::chrono::milliseconds idle_timeout{0};
  // send() waits while this much is written but not yet taken by the client...
  std::size_t send_high_water = 64 * 1024;
  // ... and the connection is closed when queued sends reach this (a client that stopped
  // reading, an app that does not wait for its sends).
  std::size_t send_queue_limit = 4 * 1024 * 1024;
  deflate_settings deflate;

  COGI_OPTION_SETTERS(max_message_bytes, max_queued_messages, ping_interval, ping_timeout, handshake_timeout,
                      close_timeout, idle_timeout, send_high_water, send_queue_limit, deflate)
};

}  // namespace cogi::http::websocket
