#pragma once
// Client frames for the WebSocket tests, and a driver that feeds a message_reader the
// way a connection does: bytes arrive in pieces, and what a step does not consume stays
// at the front of the buffer.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cogi/server/http/websocket/frame.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"

namespace cogi::http::websocket::testing {

inline constexpr masking_key test_key{0x37, 0xfa, 0x21, 0x3d};

// A frame as a client sends it: masked with test_key (or unmasked, to test refusals).
inline std::string client_frame(opcode op, std::string_view payload, bool fin = true, bool rsv1 = false,
                                bool masked = true) {
  frame_header header{.op = op, .fin = fin, .rsv1 = rsv1, .length = payload.size()};
  if (masked) header.mask = test_key;
  char head[max_frame_header];
  std::string frame(head, write_frame_header(header, head));
  std::string body(payload);
  if (masked) apply_mask(body.data(), body.size(), test_key);
  return frame + body;
}

// What a reader yielded, copied.
struct seen {
  message_reader::yield what;
  bool text = false;
  std::string payload;
  std::uint16_t code = 0;
  bool operator==(const seen&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const seen& s) {
  return out << "{" << static_cast<int>(s.what) << (s.text ? " text " : " ") << s.payload.size() << " bytes, code "
             << s.code << "}";
}

// Feeds `bytes` to `reader` in pieces of `piece` bytes (0: all at once) and returns
// everything it yielded, up to a close or failure.
inline std::vector<seen> read_all(message_reader& reader, std::string_view bytes, std::size_t piece = 0) {
  std::vector<seen> out;
  std::string buffer;
  std::size_t offered = 0;
  for (;;) {
    const std::size_t take = piece == 0 ? bytes.size() : std::min(piece, bytes.size() - offered);
    buffer.append(bytes.substr(offered, take));
    offered += take;
    for (;;) {
      const auto step = reader.next(buffer);
      if (step.what != message_reader::yield::need_more)  // copied before its bytes are dropped
        out.push_back({step.what, step.text,
                       std::string(step.what == message_reader::yield::close ? step.reason : step.payload), step.code});
      buffer.erase(0, step.consumed);
      if (step.what == message_reader::yield::need_more) break;
      if (step.what == message_reader::yield::close || step.what == message_reader::yield::fail) return out;
    }
    if (offered == bytes.size()) return out;
  }
}

}  // namespace cogi::http::websocket::testing
