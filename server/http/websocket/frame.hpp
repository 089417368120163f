#pragma once
// The WebSocket frame (RFC 6455 §5.2) as bytes: opcodes, the header, masking, and the
// close frame's body. message_reader.hpp reads frames; this writes them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cogi::http::websocket {

enum class opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xa,
};

// Control frames (close, ping, pong) have the high bit of the opcode set (§5.5).
constexpr bool is_control(opcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

// A control frame's payload is at most this long (§5.5); so is a close frame's code and
// reason together, which leaves 123 bytes for the reason.
inline constexpr std::size_t max_control_payload = 125;
inline constexpr std::size_t max_close_reason = max_control_payload - 2;

// Two bytes, up to eight of extended length, four of mask.
inline constexpr std::size_t max_frame_header = 14;

using masking_key = std::array<unsigned char, 4>;

struct frame_header {
  opcode op = opcode::binary;
  bool fin = true;
  bool rsv1 = false;  // permessage-deflate's "compressed" bit (RFC 7692 §6)
  std::uint64_t length = 0;
  std::optional<masking_key> mask;  // clients mask every frame (§5.3); servers never
};

// Writes `header` at `out` (max_frame_header bytes of room) with the shortest length
// encoding (§5.2); returns the bytes written.
std::size_t write_frame_header(const frame_header& header, char* out);

// XORs `size` bytes with the key (§5.3), starting `offset` bytes into the payload
// (a frame unmasked in pieces continues where the last piece stopped).
void apply_mask(char* data, std::size_t size, const masking_key& key, std::size_t offset = 0);

// Close codes (§7.4.1, and IANA's registry for 1012-1014).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;       // server shutting down, page left
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t no_status = 1005;        // never sent: "the close had no code"
inline constexpr std::uint16_t abnormal = 1006;         // never sent: "no close frame at all"
inline constexpr std::uint16_t invalid_payload = 1007;  // e.g. text that is not UTF-8
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t service_restart = 1012;
inline constexpr std::uint16_t try_again_later = 1013;
}  // namespace close_code

// Whether `code` may travel in a close frame: 1000-1003, 1007-1014, and 3000-4999 (for
// libraries and applications). 1005, 1006 and 1015 only report what happened locally.
bool is_sendable_close_code(std::uint16_t code);

// A close frame's payload: nothing, or the code in network order and a UTF-8 reason
// (truncated to max_close_reason bytes at a character boundary). Returns its size.
std::size_t write_close_payload(std::uint16_t code, std::string_view reason, char* out);

}  // namespace cogi::http::websocket
