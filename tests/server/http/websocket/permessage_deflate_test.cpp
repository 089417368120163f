// permessage-deflate (RFC 7692): the negotiation's rules and compressed messages.

#include "cogi/server/http/websocket/permessage_deflate.hpp"

#include <gtest/gtest.h>

#include <zlib.h>

#include <random>

#include "tests/server/http/websocket/frames.hpp"

namespace cogi::http::websocket {
namespace {

using testing::client_frame;
using testing::read_all;
using yield = message_reader::yield;

const deflate_settings on{.enabled = true, .server_max_window_bits = 15, .client_max_window_bits = 15};

std::optional<std::string> answer(std::string_view offer, const deflate_settings& settings = on) {
  const std::string_view fields[] = {offer};
  const auto agreed = negotiate_deflate(fields, settings);
  return agreed ? std::optional(agreed->response_header()) : std::nullopt;
}

TEST(PermessageDeflate, NegotiatesWhatTheClientOffers) {
  EXPECT_EQ(answer("permessage-deflate"), "permessage-deflate");
  EXPECT_EQ(answer("permessage-deflate; client_max_window_bits"), "permessage-deflate");
  EXPECT_EQ(answer("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits=10"), "permessage-deflate; server_max_window_bits=10");
  EXPECT_EQ(answer("permessage-deflate; client_max_window_bits=9"), "permessage-deflate; client_max_window_bits=9");
  EXPECT_EQ(answer("PerMessage-Deflate ; server_max_window_bits=\"12\""),
            "permessage-deflate; server_max_window_bits=12");
  // Our own limits go in the answer; the client's window only when it offered to be told.
  const deflate_settings small{.enabled = true};
  EXPECT_EQ(answer("permessage-deflate; client_max_window_bits", small),
            "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12");
  EXPECT_EQ(answer("permessage-deflate", small), "permessage-deflate; server_max_window_bits=12");
  // Off unless enabled.
  EXPECT_EQ(answer("permessage-deflate", {}), std::nullopt);
}

TEST(PermessageDeflate, DeclinesOffersItCannotHonourAndTakesTheNext) {
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits"), std::nullopt) << "needs a value";
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits=16"), std::nullopt);
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits=08"), std::nullopt);
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits=8"), std::nullopt) << "zlib cannot deflate with 2^8";
  EXPECT_EQ(answer("permessage-deflate; server_no_context_takeover=1"), std::nullopt);
  EXPECT_EQ(answer("permessage-deflate; client_no_context_takeover; client_no_context_takeover"), std::nullopt);
  EXPECT_EQ(answer("permessage-deflate; mystery"), std::nullopt);
  EXPECT_EQ(answer("x-webkit-deflate-frame"), std::nullopt);
  EXPECT_EQ(answer("permessage-deflate; server_max_window_bits=8, permessage-deflate; client_no_context_takeover"),
            "permessage-deflate; client_no_context_takeover");
  const std::string_view two_fields[] = {"foo", "permessage-deflate; server_max_window_bits=11"};
  const auto agreed = negotiate_deflate(two_fields, on);
  ASSERT_TRUE(agreed);
  EXPECT_EQ(agreed->server_max_window_bits, 11);
}

// A client's compressed frame: our own compressor stands in for the client's (the
// same raw deflate and tail rules apply both ways).
std::string compressed_frame(deflate_codec& client, std::string_view message, opcode op = opcode::text) {
  std::string payload;
  client.compress(message, payload);
  return client_frame(op, payload, true, true);
}

TEST(PermessageDeflate, ReadsCompressedMessagesWithAndWithoutContextTakeover) {
  for (bool takeover : {true, false}) {
    deflate_agreement agreed{.server_no_context_takeover = !takeover, .client_no_context_takeover = !takeover};
    deflate_codec server(agreed, on), client(agreed, on);
    const std::string text = "Hello, hello, hello, compressed world! " + std::string(200, 'a');
    const std::string first = compressed_frame(client, text), second = compressed_frame(client, text);
    if (takeover) EXPECT_LT(second.size(), first.size()) << "the second refers back to the first";
    else EXPECT_EQ(second.size(), first.size());
    message_reader reader({.inflater = &server});
    for (std::size_t piece : {0, 1}) {
      const auto events = read_all(reader, first + second + client_frame(opcode::binary, "plain"), piece == 0 ? 0 : 1);
      ASSERT_EQ(events.size(), 3u);
      EXPECT_EQ(events[0].payload, text);
      EXPECT_EQ(events[1].payload, text);
      EXPECT_EQ(events[2].payload, "plain");
      if (!takeover) continue;
      break;  // with takeover the reader's window has moved on: one pass only
    }
  }
}

TEST(PermessageDeflate, CompressedMessageInFragments) {
  deflate_agreement agreed;
  deflate_codec server(agreed, on), client(agreed, on);
  std::string payload;
  client.compress("fragmented and compressed, fragmented and compressed", payload);
  const std::size_t cut = payload.size() / 2;
  const std::string stream = client_frame(opcode::text, payload.substr(0, cut), false, true) +
                             client_frame(opcode::continuation, payload.substr(cut));
  message_reader reader({.inflater = &server});
  const auto events = read_all(reader, stream, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, "fragmented and compressed, fragmented and compressed");
}

TEST(PermessageDeflate, InflatedSizeIsLimitedAndCorruptionFails) {
  deflate_agreement agreed;
  deflate_codec server(agreed, on), client(agreed, on);
  // A megabyte of zeros is a kilobyte on the wire: the limit counts what it inflates to.
  const std::string bomb = compressed_frame(client, std::string(1 << 20, '\0'), opcode::binary);
  EXPECT_LT(bomb.size(), 2048u);
  message_reader reader({.max_message_bytes = 64 * 1024, .inflater = &server});
  const auto events = read_all(reader, bomb);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, yield::fail);
  EXPECT_EQ(events[0].code, close_code::message_too_big);

  deflate_codec fresh(agreed, on);
  message_reader broken({.inflater = &fresh});
  const auto garbage = read_all(broken, client_frame(opcode::binary, "\xff\xff\xff\xff garbage", true, true));
  ASSERT_EQ(garbage.size(), 1u);
  EXPECT_EQ(garbage[0].code, close_code::invalid_payload);
}

// §7.2.3.1: a sender may end a message's stream with a final block (what Z_FINISH
// makes); the tail is then not added, and the next message starts a new stream.
std::string finished_stream(std::string_view text) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(256, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

TEST(PermessageDeflate, MessagesMayEndTheirStream) {
  deflate_agreement agreed;
  deflate_codec server(agreed, on);
  message_reader reader({.inflater = &server});
  const std::string stream = client_frame(opcode::text, finished_stream("first"), true, true) +
                             client_frame(opcode::text, finished_stream("second"), true, true);
  const auto events = read_all(reader, stream, 1);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].payload, "first");
  EXPECT_EQ(events[1].payload, "second");
  // Bytes after the final block, in the same message, are not deflate.
  deflate_codec other(agreed, on);
  message_reader strict({.inflater = &other});
  const auto broken = read_all(strict, client_frame(opcode::text, finished_stream("x") + "\x01", true, true));
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].code, close_code::invalid_payload);
}

TEST(PermessageDeflate, RoundTripsRandomMessages) {
  deflate_agreement agreed{.server_max_window_bits = 9, .client_max_window_bits = 9};
  deflate_codec server(agreed, on), client(agreed, on);
  std::mt19937 random(7);
  std::string stream;
  std::vector<std::string> sent;
  for (int i = 0; i < 40; ++i) {
    std::string message(random() % 3000, '\0');
    for (auto& c : message) c = static_cast<char>('a' + random() % (i % 5 == 0 ? 26 : 3));
    sent.push_back(message);
    stream += compressed_frame(client, message, opcode::binary);
  }
  message_reader reader({.inflater = &server});
  const auto events = read_all(reader, stream, 333);
  ASSERT_EQ(events.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(events[i].payload, sent[i]) << i;
}

TEST(PermessageDeflate, ReportsMemoryPerConnection) {
  const deflate_settings defaults{.enabled = true};
  deflate_agreement agreed{.server_max_window_bits = 12, .client_max_window_bits = 12};
  EXPECT_EQ(memory_per_connection(agreed, defaults), (1u << 14) + (1u << 14) + 6 * 1024 + (1u << 12) + 7 * 1024);
  agreed.server_no_context_takeover = agreed.client_no_context_takeover = true;
  EXPECT_EQ(memory_per_connection(agreed, defaults), 0u);
}

}  // namespace
}  // namespace cogi::http::websocket
