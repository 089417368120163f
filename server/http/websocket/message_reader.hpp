#pragma once
// The receiving half of a WebSocket connection without a socket (RFC 6455 §5-§7): given
// the bytes read so far, it yields whole messages, pings, pongs and the peer's close,
// or the close code the connection must fail with. The runtime's session and the
// fuzz target drive it; how the bytes are split between reads never changes what it
// yields.
//
// Enforced here: masking on every client frame (§5.1), reserved bits (rsv1 only for a
// compressed message when permessage-deflate was agreed), known opcodes, control frames
// of at most 125 bytes and never fragmented (§5.5), continuation frames only inside a
// message and data frames never inside one (§5.4), the shortest length encoding and
// lengths below 2^63 (§5.2), the message size limit (1009, decided at the frame header
// before the payload is read), UTF-8 in text messages checked as bytes arrive (1007 at
// the first impossible byte, §8.1), and close frames' codes and reasons (§5.5.1, §7.4).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "cogi/server/contract/utf8.hpp"
#include "cogi/server/http/websocket/frame.hpp"

namespace cogi::http::websocket {

// Inflates a compressed message as its frames arrive; permessage_deflate.hpp has the
// zlib one (RFC 7692).
class message_inflater {
 public:
  enum class result { ok, corrupt, too_big };
  virtual ~message_inflater() = default;
  // Appends what `compressed` inflates to onto `out`, never letting `out` grow past
  // `limit` (too_big then). `last`: these are the message's final bytes.
  virtual result inflate(std::string_view compressed, bool last, std::string& out, std::size_t limit) = 0;
};

struct reader_options {
  // The largest message (after decompression) the app can receive; longer ones fail
  // the connection with 1009.
  std::uint64_t max_message_bytes = 16 * 1024 * 1024;
  // Servers read masked frames only (§5.1); a client reads unmasked ones only.
  bool frames_masked = true;
  // Set when permessage-deflate was agreed: rsv1 on a message's first frame means
  // compressed, and this inflates it. Null: rsv1 is a protocol error.
  message_inflater* inflater = nullptr;
};

class message_reader {
 public:
  explicit message_reader(const reader_options& options = {}) : options_(options) {}

  enum class yield {
    need_more,  // read more bytes, then call next() with what remains and them
    message,    // a whole text or binary message in `payload`
    ping,       // answer with a pong carrying `payload` (§5.5.2)
    pong,
    close,      // the peer's close frame: `code` (1005 if it had none) and `reason`
    fail,       // fail the connection (§7.1.7): close with `code`, `reason` says why
  };
  struct step {
    yield what = yield::need_more;
    std::size_t consumed = 0;  // drop these bytes of `pending` before the next call
    bool text = false;         // message: a text message (valid UTF-8)
    std::string_view payload;  // message, ping, pong
    std::uint16_t code = 0;    // close, fail
    std::string_view reason;   // close: the peer's (UTF-8); fail: static text
  };

  // The next thing `pending` (the bytes received and not yet consumed) holds. Masked
  // payloads are unmasked in place, which is why `pending` is writable. Views in the
  // step point into `pending` or into the reader, and are valid until the next call.
  // After close or fail every call yields the same again, consuming nothing.
  step next(std::span<char> pending);

  // Bytes this reader holds for a message in pieces (reported as memory per connection).
  std::size_t buffered_bytes() const { return message_.capacity(); }

 private:
  step fail(std::uint16_t code, std::string_view why);
  step read_header(std::span<char> pending);
  step take_control_frame(std::span<char> pending, std::size_t header_size);
  step take_payload(std::span<char> pending, std::size_t header_size);
  step finish_message(std::size_t consumed);

  reader_options options_;
  // Close or fail, once reached (a fail's reason is static text; a close's is not kept).
  yield ended_ = yield::need_more;
  std::uint16_t ended_code_ = 0;
  std::string_view ended_reason_;

  // The frame whose payload is being read in pieces.
  bool in_frame_ = false;
  frame_header frame_;
  std::uint64_t frame_read_ = 0;

  // The data message being assembled from frames.
  bool in_message_ = false;
  bool message_text_ = false;
  bool message_compressed_ = false;
  std::uint64_t message_wire_bytes_ = 0;
  std::string message_;  // the payload so far (inflated, when compressed)
  bool clear_message_ = false;  // the last step handed out message_: empty it first
  utf8_validator utf8_;
};

}  // namespace cogi::http::websocket
