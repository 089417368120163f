#include "cogi/server/http/websocket/permessage_deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "cogi/server/http/validation.hpp"

namespace cogi::http::websocket {
namespace {

// The four bytes every Z_SYNC_FLUSH ends with, left off the wire (§7.2.1).
constexpr std::string_view sync_tail{"\x00\x00\xff\xff", 4};

// "8".."15", or nullopt.
std::optional<int> window_bits(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty() || text.front() == '0') return std::nullopt;
  if (value < 8 || value > 15) return std::nullopt;
  return value;
}

// One offer, "permessage-deflate; p1; p2=v": the agreement it leads to, or nullopt to
// decline it.
std::optional<deflate_agreement> accept_offer(std::string_view offer, const deflate_settings& settings) {
  const auto first = offer.find(';');
  if (!iequals(trim_ows(offer.substr(0, first)), "permessage-deflate")) return std::nullopt;
  bool server_no_takeover = false, client_no_takeover = false;
  std::optional<int> server_bits;       // the client's limit on our window
  bool client_bits_offered = false;     // the client lets us limit its window
  std::optional<int> client_bits_hint;  // ... and already limits it to this
  bool valid = true;
  bool seen[4] = {};
  std::string_view rest = first == std::string_view::npos ? std::string_view{} : offer.substr(first + 1);
  while (valid && !rest.empty()) {
    const auto semicolon = rest.find(';');
    const std::string_view param = trim_ows(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
    const auto equals = param.find('=');
    const std::string_view name = trim_ows(param.substr(0, equals));
    const std::optional<std::string_view> value =
        equals == std::string_view::npos ? std::nullopt : std::optional(trim_ows(param.substr(equals + 1)));
    const auto once = [&](int index) { return !std::exchange(seen[index], true); };
    if (iequals(name, "server_no_context_takeover")) {
      valid = once(0) && !value;
      server_no_takeover = true;
    } else if (iequals(name, "client_no_context_takeover")) {
      valid = once(1) && !value;
      client_no_takeover = true;
    } else if (iequals(name, "server_max_window_bits")) {
      valid = once(2) && value && (server_bits = window_bits(*value)).has_value();
    } else if (iequals(name, "client_max_window_bits")) {
      valid = once(3);
      client_bits_offered = true;
      if (valid && value) valid = (client_bits_hint = window_bits(*value)).has_value();
    } else {
      valid = false;  // a parameter we do not know: decline the offer (§7.1)
    }
  }
  if (!valid) return std::nullopt;

  deflate_agreement agreed;
  agreed.server_no_context_takeover = server_no_takeover || settings.server_no_context_takeover;
  agreed.client_no_context_takeover = client_no_takeover;
  // Our window: ours, or smaller if the client asks. zlib cannot deflate with 2^8, so an
  // offer that insists on 8 is declined (the client may have offered another).
  agreed.server_max_window_bits = std::min(settings.server_max_window_bits, server_bits.value_or(15));
  if (agreed.server_max_window_bits < 9) return std::nullopt;
  // The client's window: 15 unless it lets us say (then ours, or its hint if smaller).
  agreed.client_max_window_bits = 15;
  if (client_bits_offered)
    agreed.client_max_window_bits = std::min(settings.client_max_window_bits, client_bits_hint.value_or(15));
  // Said in the answer only when the client offered the parameter (§7.1.2.2): keep 15.
  if (!client_bits_offered) agreed.client_max_window_bits = 15;
  return agreed;
}

}  // namespace

std::string deflate_agreement::response_header() const {
  std::string value = "permessage-deflate";
  if (server_no_context_takeover) value += "; server_no_context_takeover";
  if (client_no_context_takeover) value += "; client_no_context_takeover";
  if (server_max_window_bits < 15) value += "; server_max_window_bits=" + std::to_string(server_max_window_bits);
  if (client_max_window_bits < 15) value += "; client_max_window_bits=" + std::to_string(client_max_window_bits);
  return value;
}

std::optional<deflate_agreement> negotiate_deflate(std::span<const std::string_view> extension_fields,
                                                   const deflate_settings& settings) {
  if (!settings.enabled) return std::nullopt;
  std::optional<deflate_agreement> agreed;
  for (const auto field : extension_fields) {
    for_each_list_element(field, [&](std::string_view offer) {
      agreed = accept_offer(offer, settings);
      return !agreed;
    });
    if (agreed) break;
  }
  return agreed;
}

std::size_t memory_per_connection(const deflate_agreement& agreement, const deflate_settings& settings) {
  // zlib's own figures (zconf.h): deflate (1 << (windowBits + 2)) + (1 << (memLevel + 9)),
  // inflate 1 << windowBits, and each state's struct (about 6 and 7 KiB).
  const std::size_t deflate_state = (std::size_t{1} << (agreement.server_max_window_bits + 2)) +
                                    (std::size_t{1} << (settings.memory_level + 9)) + 6 * 1024;
  const std::size_t inflate_state = (std::size_t{1} << agreement.client_max_window_bits) + 7 * 1024;
  // Without context takeover a direction's state exists only while a message is worked on.
  return (agreement.server_no_context_takeover ? 0 : deflate_state) +
         (agreement.client_no_context_takeover ? 0 : inflate_state);
}

// ---- the codec --------------------------------------------------------------------

struct deflate_codec::zlib_streams {
  z_stream deflate{};
  z_stream inflate{};
  bool deflate_ready = false;
  bool inflate_ready = false;
  bool inflate_ended = false;  // this message's stream ended with a final block
  deflate_agreement agreement;
  deflate_settings settings;

  ~zlib_streams() {
    if (deflate_ready) deflateEnd(&deflate);
    if (inflate_ready) inflateEnd(&inflate);
  }
  // Made on first use, and again after each message without context takeover (a reset
  // would keep the memory; ending the stream gives it back).
  void open_deflate() {
    if (deflate_ready) return;
    deflate = {};
    if (deflateInit2(&deflate, settings.compression_level, Z_DEFLATED, -agreement.server_max_window_bits,
                     settings.memory_level, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("permessage-deflate: deflateInit2 failed");
    deflate_ready = true;
  }
  void open_inflate() {
    if (inflate_ready) return;
    inflate = {};
    // Our inflate window must be at least the client's; zlib's raw inflate accepts 8..15
    // but a window of 8 cannot read every 8-bit stream: 9 is the safe least.
    if (inflateInit2(&inflate, -std::max(agreement.client_max_window_bits, 9)) != Z_OK)
      throw std::runtime_error("permessage-deflate: inflateInit2 failed");
    inflate_ready = true;
  }
  void close_deflate() {
    if (deflate_ready) deflateEnd(&deflate);
    deflate_ready = false;
  }
  void close_inflate() {
    if (inflate_ready) inflateEnd(&inflate);
    inflate_ready = false;
  }
};

deflate_codec::deflate_codec(const deflate_agreement& agreement, const deflate_settings& settings)
    : z_(std::make_unique<zlib_streams>()), min_size_(settings.min_size) {
  z_->agreement = agreement;
  z_->settings = settings;
}

deflate_codec::~deflate_codec() = default;

void deflate_codec::compress(std::string_view message, std::string& out) {
  z_->open_deflate();
  z_stream& z = z_->deflate;
  out.clear();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
  z.avail_in = static_cast<uInt>(message.size());
  // Z_SYNC_FLUSH ends the message on a byte boundary with an empty stored block (§7.2.1).
  do {
    const std::size_t used = out.size();
    out.resize(used + std::max<std::size_t>(deflateBound(&z, z.avail_in) + 16, 256));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(out.size() - used);
    deflate(&z, Z_SYNC_FLUSH);
    out.resize(out.size() - z.avail_out);
  } while (z.avail_out == 0);
  if (std::string_view(out).ends_with(sync_tail)) out.resize(out.size() - sync_tail.size());
  if (z_->agreement.server_no_context_takeover) z_->close_deflate();
}

message_inflater::result deflate_codec::inflate(std::string_view compressed, bool last, std::string& out,
                                               std::size_t limit) {
  z_->open_inflate();
  z_stream& z = z_->inflate;
  // Feeds `input` through, growing `out` in steps up to one byte past the limit.
  const auto feed = [&](std::string_view input) -> result {
    // A final block ends the stream (§7.2.3.1): nothing may follow it in the message,
    // however the message's bytes are split.
    if (z_->inflate_ended && !input.empty()) return result::corrupt;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z.avail_in = static_cast<uInt>(input.size());
    for (;;) {
      const std::size_t used = out.size();
      if (used > limit) return result::too_big;
      const std::size_t room = std::min<std::size_t>(std::max<std::size_t>(input.size() * 4, 4096), limit + 1 - used);
      out.resize(used + room);
      z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      z.avail_out = static_cast<uInt>(room);
      const int status = ::inflate(&z, Z_SYNC_FLUSH);
      const bool filled = z.avail_out == 0;
      out.resize(out.size() - z.avail_out);
      if (status == Z_STREAM_END) {
        if (z.avail_in > 0) return result::corrupt;
        z_->inflate_ended = true;
        break;
      }
      if (status != Z_OK && status != Z_BUF_ERROR) return result::corrupt;
      if (status == Z_BUF_ERROR && z.avail_in > 0 && !filled) return result::corrupt;  // stuck
      // Done when the input is used up and zlib had room to spare (nothing held back).
      if (z.avail_in == 0 && !filled) break;
    }
    return out.size() > limit ? result::too_big : result::ok;
  };
  result status = feed(compressed);
  if (status == result::ok && last) {
    // The tail the sender left off (§7.2.2); a stream that ended has no use for it, and
    // the next message starts a new one.
    if (!z_->inflate_ended) status = feed(sync_tail);
    if (z_->inflate_ended) inflateReset(&z);
    z_->inflate_ended = false;
    if (z_->agreement.client_no_context_takeover) z_->close_inflate();
  }
  return status;
}

}  // namespace cogi::http::websocket
