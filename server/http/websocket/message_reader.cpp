#include "cogi/server/http/websocket/message_reader.hpp"

#include <algorithm>

namespace cogi::http::websocket {
namespace {

using yield = message_reader::yield;

bool is_known(std::uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xa); }

std::uint64_t read_big_endian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = value << 8 | bytes[i];
  return value;
}

}  // namespace

message_reader::step message_reader::next(std::span<char> pending) {
  if (ended_ != yield::need_more) return step{.what = ended_, .code = ended_code_, .reason = ended_reason_};
  if (clear_message_) {
    message_.clear();
    clear_message_ = false;
  }
  // A frame that yields nothing by itself (a piece of a message) is consumed and the
  // reading goes on, so one call gets as far as the bytes allow.
  std::size_t consumed = 0;
  for (;;) {
    const auto rest = pending.subspan(consumed);
    step s = in_frame_ ? take_payload(rest, 0) : read_header(rest);
    const std::size_t progress = s.consumed;
    consumed += progress;
    s.consumed = consumed;
    if (s.what != yield::need_more || progress == 0 || consumed == pending.size()) return s;
  }
}

message_reader::step message_reader::fail(std::uint16_t code, std::string_view why) {
  in_frame_ = false;
  ended_ = yield::fail;
  ended_code_ = code;
  ended_reason_ = why;
  return step{.what = yield::fail, .code = code, .reason = why};
}

message_reader::step message_reader::read_header(std::span<char> pending) {
  if (pending.size() < 2) return {};
  const auto* bytes = reinterpret_cast<const unsigned char*>(pending.data());
  const bool fin = (bytes[0] & 0x80) != 0;
  const bool rsv1 = (bytes[0] & 0x40) != 0;
  const std::uint8_t op_bits = bytes[0] & 0x0f;
  const bool masked = (bytes[1] & 0x80) != 0;
  const std::uint8_t length_bits = bytes[1] & 0x7f;
  if ((bytes[0] & 0x30) != 0) return fail(close_code::protocol_error, "Reserved bits set");
  if (!is_known(op_bits)) return fail(close_code::protocol_error, "Unknown opcode");
  if (masked != options_.frames_masked)
    return fail(close_code::protocol_error, masked ? "Masked frame from a server" : "Unmasked frame from a client");
  const int length_size = length_bits == 126 ? 2 : length_bits == 127 ? 8 : 0;
  const std::size_t header_size = 2 + static_cast<std::size_t>(length_size) + (masked ? 4 : 0);
  if (pending.size() < header_size) return {};

  frame_header frame{.op = static_cast<opcode>(op_bits), .fin = fin, .rsv1 = rsv1};
  frame.length = length_size == 0 ? length_bits : read_big_endian(bytes + 2, length_size);
  // §5.2: the shortest encoding, and the most significant bit of 64 is 0.
  if ((length_size == 2 && frame.length < 126) || (length_size == 8 && frame.length <= 0xffff))
    return fail(close_code::protocol_error, "Frame length not in its shortest form");
  if (frame.length >> 63 != 0) return fail(close_code::protocol_error, "Frame length over 2^63");
  if (masked) {
    masking_key key;
    std::copy_n(bytes + 2 + length_size, 4, key.begin());
    frame.mask = key;
  }

  if (is_control(frame.op)) {
    if (!fin) return fail(close_code::protocol_error, "Fragmented control frame");
    if (frame.length > max_control_payload) return fail(close_code::protocol_error, "Control frame over 125 bytes");
    if (rsv1) return fail(close_code::protocol_error, "Reserved bits set");
    frame_ = frame;
    return take_control_frame(pending, header_size);
  }

  if (frame.op == opcode::continuation) {
    if (!in_message_) return fail(close_code::protocol_error, "Continuation frame outside a message");
    // RFC 7692 §6.1: only a message's first frame says whether it is compressed.
    if (rsv1) return fail(close_code::protocol_error, "Reserved bits set");
  } else {
    if (in_message_) return fail(close_code::protocol_error, "New message before the last one ended");
    if (rsv1 && options_.inflater == nullptr) return fail(close_code::protocol_error, "Reserved bits set");
    in_message_ = true;
    message_text_ = frame.op == opcode::text;
    message_compressed_ = rsv1;
    message_wire_bytes_ = 0;
    utf8_.reset();
  }
  // Decided before a byte of the payload is read. A compressed message is bounded by
  // its inflated size (take_payload()).
  if (!message_compressed_ && frame.length > options_.max_message_bytes - message_wire_bytes_)
    return fail(close_code::message_too_big, "Message too big");
  message_wire_bytes_ += frame.length;
  frame_ = frame;
  frame_read_ = 0;

  // The common case, a whole message in one frame that has arrived: unmasked in place
  // and handed out without a copy.
  if (fin && frame.op != opcode::continuation && !rsv1 && pending.size() - header_size >= frame.length) {
    char* payload = pending.data() + header_size;
    const auto size = static_cast<std::size_t>(frame.length);
    if (frame.mask) apply_mask(payload, size, *frame.mask);
    in_message_ = false;
    if (message_text_ && !is_valid_utf8({payload, size}))
      return fail(close_code::invalid_payload, "Text message is not UTF-8");
    return step{.what = yield::message, .consumed = header_size + size, .text = message_text_, .payload = {payload, size}};
  }
  in_frame_ = true;
  return take_payload(pending, header_size);
}

message_reader::step message_reader::take_control_frame(std::span<char> pending, std::size_t header_size) {
  const auto size = static_cast<std::size_t>(frame_.length);
  // At most 139 bytes: wait for all of them (the read buffer is far larger).
  if (pending.size() - header_size < size) return {};
  char* payload = pending.data() + header_size;
  if (frame_.mask) apply_mask(payload, size, *frame_.mask);
  const std::string_view body(payload, size);
  const std::size_t consumed = header_size + size;
  if (frame_.op == opcode::ping) return step{.what = yield::ping, .consumed = consumed, .payload = body};
  if (frame_.op == opcode::pong) return step{.what = yield::pong, .consumed = consumed, .payload = body};

  // §5.5.1: no body, or a two-byte code and a UTF-8 reason.
  std::uint16_t code = close_code::no_status;
  std::string_view reason;
  if (size == 1) return fail(close_code::protocol_error, "Close frame with a one-byte body");
  if (size >= 2) {
    code = static_cast<std::uint16_t>(read_big_endian(reinterpret_cast<const unsigned char*>(payload), 2));
    if (!is_sendable_close_code(code)) return fail(close_code::protocol_error, "Invalid close code");
    reason = body.substr(2);
    if (!is_valid_utf8(reason)) return fail(close_code::invalid_payload, "Close reason is not UTF-8");
  }
  in_frame_ = false;
  ended_ = yield::close;  // later calls: the code, no reason
  ended_code_ = code;
  return step{.what = yield::close, .consumed = consumed, .code = code, .reason = reason};
}

message_reader::step message_reader::take_payload(std::span<char> pending, std::size_t header_size) {
  const auto available =
      static_cast<std::size_t>(std::min<std::uint64_t>(pending.size() - header_size, frame_.length - frame_read_));
  char* piece = pending.data() + header_size;
  if (frame_.mask) apply_mask(piece, available, *frame_.mask, static_cast<std::size_t>(frame_read_ % 4));
  frame_read_ += available;
  const bool frame_done = frame_read_ == frame_.length;
  const std::size_t consumed = header_size + available;
  const std::size_t before = message_.size();
  if (message_compressed_) {
    const auto limit = static_cast<std::size_t>(std::min<std::uint64_t>(options_.max_message_bytes, SIZE_MAX));
    const auto result = options_.inflater->inflate({piece, available}, frame_done && frame_.fin, message_, limit);
    if (result == message_inflater::result::too_big) return fail(close_code::message_too_big, "Message too big");
    if (result == message_inflater::result::corrupt)
      return fail(close_code::invalid_payload, "Compressed message cannot be inflated");
  } else {
    message_.append(piece, available);
  }
  // Checked as the bytes arrive, so a bad byte fails the connection at once (§8.1).
  if (message_text_ && !utf8_.feed(std::string_view(message_).substr(before)))
    return fail(close_code::invalid_payload, "Text message is not UTF-8");
  if (!frame_done) return step{.consumed = consumed};
  in_frame_ = false;
  if (!frame_.fin) return step{.consumed = consumed};
  return finish_message(consumed);
}

message_reader::step message_reader::finish_message(std::size_t consumed) {
  in_message_ = false;
  if (message_text_ && !utf8_.complete()) return fail(close_code::invalid_payload, "Text message is not UTF-8");
  clear_message_ = true;  // handed out until the next call
  return step{.what = yield::message, .consumed = consumed, .text = message_text_, .payload = message_};
}

}  // namespace cogi::http::websocket
