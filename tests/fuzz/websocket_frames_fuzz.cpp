// The WebSocket message reader on untrusted client bytes. Properties: no crash; the same
// messages, pings, pongs, close and verdict however the bytes are split into reads
// (whole, cut where the input says, byte by byte), with and without permessage-deflate;
// no message over the size limit; text messages are UTF-8.

#include <string>
#include <vector>

#include "cogi/server/contract/utf8.hpp"
#include "cogi/server/http/websocket/message_reader.hpp"
#include "cogi/server/http/websocket/permessage_deflate.hpp"
#include "tests/fuzz/fuzz_input.hpp"

using cogi::fuzz::check;
using namespace cogi::http::websocket;

namespace {

constexpr std::size_t max_message = 4096;

// Everything the reader yields for `bytes` read in pieces ending at `cuts`, as text.
std::vector<std::string> read(std::string_view bytes, const std::vector<std::size_t>& cuts, bool deflate,
                              bool context_takeover) {
  const deflate_settings settings{.enabled = true};
  const deflate_agreement agreed{.server_max_window_bits = 9,
                                 .client_max_window_bits = 9,
                                 .server_no_context_takeover = !context_takeover,
                                 .client_no_context_takeover = !context_takeover};
  deflate_codec codec(agreed, settings);
  message_reader reader({.max_message_bytes = max_message, .inflater = deflate ? &codec : nullptr});
  std::vector<std::string> seen;
  std::string buffer;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : bytes.size();
    buffer.append(bytes.substr(at, end - at));
    at = end;
    for (;;) {
      const auto step = reader.next(buffer);
      check(step.consumed <= buffer.size(), "never consumes more than it was given");
      using yield = message_reader::yield;
      if (step.what == yield::message) {
        check(step.payload.size() <= max_message, "no message over the limit");
        check(!step.text || cogi::is_valid_utf8(step.payload), "text messages are UTF-8");
      }
      if (step.what == yield::close) check(cogi::is_valid_utf8(step.reason), "close reasons are UTF-8");
      if (step.what != yield::need_more)
        seen.push_back(std::to_string(static_cast<int>(step.what)) + (step.text ? "t" : "b") +
                       std::to_string(step.code) + ":" + std::string(step.payload));
      buffer.erase(0, step.consumed);
      if (step.what == yield::need_more) break;
      if (step.what == yield::close || step.what == yield::fail) return seen;
    }
  }
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cogi::fuzz::input in(data, size);
  const std::uint8_t flags = in.byte();
  const std::size_t split = in.byte();
  const std::string_view bytes = in.rest();
  const bool deflate = (flags & 1) != 0, takeover = (flags & 2) != 0;
  const auto whole = read(bytes, {}, deflate, takeover);
  check(read(bytes, {std::min(split, bytes.size())}, deflate, takeover) == whole, "the same, split in two");
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < bytes.size(); ++i) every.push_back(i);
  check(read(bytes, every, deflate, takeover) == whole, "the same, byte by byte");
  return 0;
}
