// Reading client frames (RFC 6455 §5-§7): each refusal names the rule it enforces.

#include "cogi/server/http/websocket/message_reader.hpp"

#include <gtest/gtest.h>

#include "tests/server/http/websocket/frames.hpp"

namespace cogi::http::websocket {
namespace {

using testing::client_frame;
using testing::read_all;
using testing::seen;
using yield = message_reader::yield;

seen message(std::string payload, bool text = true) { return {yield::message, text, std::move(payload), 0}; }
seen failure(std::uint16_t code) { return {yield::fail, false, "", code}; }

// The code a reader fails with on `bytes`, whole and byte by byte (0: it did not fail).
std::uint16_t failure_code(std::string_view bytes, reader_options options = {}) {
  std::uint16_t codes[2] = {};
  for (int i = 0; i < 2; ++i) {
    message_reader reader(options);
    const auto events = read_all(reader, bytes, i == 0 ? 0 : 1);
    if (!events.empty() && events.back().what == yield::fail) codes[i] = events.back().code;
  }
  EXPECT_EQ(codes[0], codes[1]) << "the verdict depends on how the bytes were split";
  return codes[0];
}

TEST(WebSocketReader, ReadsMessagesOfEveryLengthEncoding) {
  const std::string medium(126, 'm'), large(70000, 'L');
  const std::string stream = client_frame(opcode::text, "Hello") + client_frame(opcode::binary, medium) +
                             client_frame(opcode::binary, large) + client_frame(opcode::text, "");
  const std::vector<seen> expected{message("Hello"), message(medium, false), message(large, false), message("")};
  for (std::size_t piece : {0, 1, 7, 4096}) {
    message_reader reader;
    EXPECT_EQ(read_all(reader, stream, piece), expected) << "pieces of " << piece;
  }
}

// §5.4: a message in fragments, with control frames between them (Autobahn 5.6-5.9).
TEST(WebSocketReader, AssemblesFragmentsAroundControlFrames) {
  const std::string stream = client_frame(opcode::text, "fragment1", false) + client_frame(opcode::ping, "ping!") +
                             client_frame(opcode::continuation, "fragment2", false) +
                             client_frame(opcode::pong, "") + client_frame(opcode::continuation, "fragment3");
  const std::vector<seen> expected{{yield::ping, false, "ping!", 0}, {yield::pong, false, "", 0},
                                   message("fragment1fragment2fragment3")};
  for (std::size_t piece : {0, 1, 3, 10}) {
    message_reader reader;
    EXPECT_EQ(read_all(reader, stream, piece), expected) << "pieces of " << piece;
  }
}

TEST(WebSocketReader, FramingViolationsFailWithProtocolError) {
  const auto p = close_code::protocol_error;
  std::string rsv2 = client_frame(opcode::text, "x");
  rsv2[0] = static_cast<char>(rsv2[0] | 0x20);
  std::string rsv3 = client_frame(opcode::text, "x");
  rsv3[0] = static_cast<char>(rsv3[0] | 0x10);
  EXPECT_EQ(failure_code(rsv2), p) << "§5.2: RSV2 without an extension";
  EXPECT_EQ(failure_code(rsv3), p) << "§5.2: RSV3 without an extension";
  EXPECT_EQ(failure_code(client_frame(opcode::text, "x", true, true)), p) << "§5.2: RSV1 without deflate";
  for (int op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    EXPECT_EQ(failure_code(client_frame(static_cast<opcode>(op), "x")), p) << "§5.2: reserved opcode " << op;
  EXPECT_EQ(failure_code(client_frame(opcode::text, "x", true, false, false)), p) << "§5.1: unmasked client frame";
  EXPECT_EQ(failure_code(client_frame(opcode::ping, std::string(126, 'p'))), p) << "§5.5: control over 125";
  EXPECT_EQ(failure_code(client_frame(opcode::ping, "x", false)), p) << "§5.5: fragmented control frame";
  EXPECT_EQ(failure_code(client_frame(opcode::continuation, "x")), p) << "§5.4: continuation with no message";
  EXPECT_EQ(failure_code(client_frame(opcode::text, "a", false) + client_frame(opcode::text, "b")), p)
      << "§5.4: a new message inside a fragmented one";
  // §5.2: the length in its shortest form, and never 2^63 or more.
  const char short_in_16_bits[] = {'\x82', '\xfe', '\x00', '\x05', 'k', 'k', 'k', 'k', 'a', 'b', 'c', 'd', 'e'};
  EXPECT_EQ(failure_code(std::string_view(short_in_16_bits, sizeof short_in_16_bits)), p);
  const char huge[] = {'\x82', '\xff', '\x80', 0, 0, 0, 0, 0, 0, 0, 'k', 'k', 'k', 'k'};
  EXPECT_EQ(failure_code(std::string_view(huge, sizeof huge)), p);
}

TEST(WebSocketReader, ValidFramesDoNotFail) {
  EXPECT_EQ(failure_code(client_frame(opcode::ping, std::string(125, 'p'))), 0);
  EXPECT_EQ(failure_code(client_frame(opcode::binary, "\xff\xfe")), 0) << "binary is not checked as text";
}

// The size limit is decided by the header, before any of the payload arrives.
TEST(WebSocketReader, OversizedMessagesFailWith1009AtTheHeader) {
  reader_options small{.max_message_bytes = 100};
  const std::string header_only = client_frame(opcode::binary, std::string(101, 'x')).substr(0, 8);
  message_reader reader(small);
  const auto events = read_all(reader, header_only);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], failure(close_code::message_too_big));
  // Fragments add up: 60 + 60 is over 100.
  EXPECT_EQ(failure_code(client_frame(opcode::binary, std::string(60, 'a'), false) +
                             client_frame(opcode::continuation, std::string(60, 'b')),
                         small),
            close_code::message_too_big);
  EXPECT_EQ(failure_code(client_frame(opcode::binary, std::string(100, 'a')), small), 0);
}

// §8.1 and Autobahn 6.4: invalid text fails at once, not when the message ends.
TEST(WebSocketReader, InvalidUtf8FailsFast) {
  const std::string first = client_frame(opcode::text, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90", false);
  message_reader reader;
  const auto events = read_all(reader, first);  // the message's end never arrives
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], failure(close_code::invalid_payload));
  // A frame cut in the middle of a bad payload fails on the bytes that have come.
  message_reader partial;
  const std::string frame = client_frame(opcode::text, "ok\xed\xa0\x80 and more text after it");
  EXPECT_EQ(read_all(partial, frame.substr(0, 10)), std::vector<seen>{failure(close_code::invalid_payload)});
  // A sequence split between fragments is fine; one left open at the end is not.
  EXPECT_EQ(failure_code(client_frame(opcode::text, "\xf0\x9f", false) + client_frame(opcode::continuation, "\x98\x80")), 0);
  EXPECT_EQ(failure_code(client_frame(opcode::text, "ok\xf0\x9f")), close_code::invalid_payload);
  EXPECT_EQ(failure_code(client_frame(opcode::text, "ok\xf0\x9f", false) + client_frame(opcode::continuation, "")),
            close_code::invalid_payload);
}

// §5.5.1 and §7.4: the close frame's body.
TEST(WebSocketReader, ReadsAndChecksCloseFrames) {
  {
    message_reader reader;
    EXPECT_EQ(read_all(reader, client_frame(opcode::close, "")),
              std::vector<seen>({{yield::close, false, "", close_code::no_status}}));
    char buffer[2] = {};
    EXPECT_EQ(reader.next(buffer).what, yield::close) << "the close is final";
    EXPECT_EQ(reader.next(buffer).consumed, 0u);
  }
  {
    message_reader reader;
    EXPECT_EQ(read_all(reader, client_frame(opcode::close, "\x03\xe8" "bye")),
              std::vector<seen>({{yield::close, false, "bye", 1000}}));
  }
  for (const std::uint16_t code : std::initializer_list<std::uint16_t>{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
    const char body[] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    message_reader reader;
    EXPECT_EQ(read_all(reader, client_frame(opcode::close, std::string_view(body, 2))),
              std::vector<seen>({{yield::close, false, "", code}}))
        << code;
  }
  for (const std::uint16_t code : std::initializer_list<std::uint16_t>{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
    const char body[] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    EXPECT_EQ(failure_code(client_frame(opcode::close, std::string_view(body, 2))), close_code::protocol_error) << code;
  }
  EXPECT_EQ(failure_code(client_frame(opcode::close, "\x03")), close_code::protocol_error) << "a one-byte body";
  EXPECT_EQ(failure_code(client_frame(opcode::close, "\x03\xe8\xff")), close_code::invalid_payload)
      << "the reason must be UTF-8";
}

TEST(WebSocketFrames, WriterAndReaderAgree) {
  reader_options client_side{.frames_masked = false};
  std::string stream;
  for (std::size_t length : {0, 1, 125, 126, 65535, 65536}) {
    char head[max_frame_header];
    const std::string payload(length, 'x');
    stream.append(head, write_frame_header({.op = opcode::binary, .length = length}, head)).append(payload);
  }
  message_reader reader(client_side);
  const auto events = read_all(reader, stream, 1000);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[4].payload.size(), 65535u);
  EXPECT_EQ(events[5].payload.size(), 65536u);
}

TEST(WebSocketFrames, CloseReasonIsCutAtACharacterBoundary) {
  char body[max_control_payload];
  std::string reason(121, 'r');
  reason += "\xe2\x82\xac";  // 124 bytes: the euro sign does not fit whole
  const std::size_t size = write_close_payload(1001, reason, body);
  EXPECT_EQ(size, 2u + 121u);
  EXPECT_EQ(static_cast<unsigned char>(body[0]), 0x03);
  EXPECT_EQ(static_cast<unsigned char>(body[1]), 0xe9);
  EXPECT_EQ(write_close_payload(close_code::no_status, "ignored", body), 0u);
}

TEST(WebSocketFrames, MaskingIsItsOwnInverseAtAnyOffset) {
  std::string data(37, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  std::string masked = data;
  apply_mask(masked.data(), masked.size(), testing::test_key);
  std::string pieces = data;
  apply_mask(pieces.data(), 5, testing::test_key, 0);
  apply_mask(pieces.data() + 5, 19, testing::test_key, 5);
  apply_mask(pieces.data() + 24, 13, testing::test_key, 24 % 4);
  EXPECT_EQ(pieces, masked);
  apply_mask(masked.data(), masked.size(), testing::test_key);
  EXPECT_EQ(masked, data);
}

}  // namespace
}  // namespace cogi::http::websocket
