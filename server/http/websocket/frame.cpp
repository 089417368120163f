#include "cogi/server/http/websocket/frame.hpp"

#include <cstring>

#include "cogi/server/contract/utf8.hpp"

namespace cogi::http::websocket {

std::size_t write_frame_header(const frame_header& header, char* out) {
  auto* bytes = reinterpret_cast<unsigned char*>(out);
  bytes[0] = static_cast<unsigned char>((header.fin ? 0x80 : 0) | (header.rsv1 ? 0x40 : 0) |
                                        static_cast<unsigned char>(header.op));
  const unsigned char mask_bit = header.mask ? 0x80 : 0;
  std::size_t size = 2;
  if (header.length < 126) {
    bytes[1] = static_cast<unsigned char>(mask_bit | header.length);
  } else if (header.length <= 0xffff) {
    bytes[1] = mask_bit | 126;
    bytes[2] = static_cast<unsigned char>(header.length >> 8);
    bytes[3] = static_cast<unsigned char>(header.length);
    size = 4;
  } else {
    bytes[1] = mask_bit | 127;
    for (int i = 0; i < 8; ++i) bytes[2 + i] = static_cast<unsigned char>(header.length >> (56 - 8 * i));
    size = 10;
  }
  if (header.mask) {
    std::memcpy(bytes + size, header.mask->data(), 4);
    size += 4;
  }
  return size;
}

void apply_mask(char* data, std::size_t size, const masking_key& key, std::size_t offset) {
  auto* bytes = reinterpret_cast<unsigned char*>(data);
  std::size_t i = 0;
  // Up to the key's phase 0, then eight bytes at a time with the key repeated: the
  // payload of every client frame passes through here.
  for (; i < size && (offset + i) % 4 != 0; ++i) bytes[i] ^= key[(offset + i) % 4];
  std::uint64_t wide_key;
  unsigned char repeated[8];
  for (int k = 0; k < 8; ++k) repeated[k] = key[k % 4];
  std::memcpy(&wide_key, repeated, 8);
  for (; i + 8 <= size; i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, bytes + i, 8);
    chunk ^= wide_key;
    std::memcpy(bytes + i, &chunk, 8);
  }
  for (; i < size; ++i) bytes[i] ^= key[(offset + i) % 4];
}

bool is_sendable_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  return code >= 1007 && code <= 1014;
}

std::size_t write_close_payload(std::uint16_t code, std::string_view reason, char* out) {
  if (code == close_code::no_status) return 0;
  out[0] = static_cast<char>(code >> 8);
  out[1] = static_cast<char>(code & 0xff);
  // Cut at a character boundary so that the reason stays UTF-8 (§5.5.1).
  std::size_t kept = 0;
  while (kept < reason.size()) {
    const std::size_t length = utf8_sequence_length(reason.substr(kept));
    if (length == 0 || kept + length > max_close_reason) break;
    kept += length;
  }
  if (kept > 0) std::memcpy(out + 2, reason.data(), kept);
  return 2 + kept;
}

}  // namespace cogi::http::websocket
