// The opening handshake (RFC 6455 §4.2) and what it is built from: base64, SHA-1.

#include "cogi/server/http/websocket/handshake.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cogi/server/http/base64.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/websocket/sha1.hpp"

namespace cogi::http::websocket {
namespace {

std::string hex(const sha1_digest& digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 15]);
  }
  return out;
}

// RFC 3174 §7.3's test vectors, and the two lengths around the padding's block edge.
TEST(Sha1, MatchesTheRfcVectors) {
  EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  std::string million(1'000'000, 'a');
  EXPECT_EQ(hex(sha1(million)), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  EXPECT_EQ(hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(sha1(std::string(55, 'a'))), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  EXPECT_EQ(hex(sha1(std::string(56, 'a'))), "c2db330f6083854c99d4b5bfb6e8f29f201be699");
}

TEST(Base64, RoundTripsAndRefusesNonCanonicalText) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");  // RFC 4648 §10
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("Zg="));     // not a multiple of four
  EXPECT_FALSE(base64_decode("Zh=="));    // bits set in the padding
  EXPECT_FALSE(base64_decode("Z$=="));    // outside the alphabet
  EXPECT_FALSE(base64_decode("Z==="));    // three '=': the first is not padding
  EXPECT_FALSE(base64_decode("Zg==Zg=="));
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

// §1.3's worked example.
TEST(WebSocketHandshake, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

struct parsed {
  std::string text;
  request_head head;
};

parsed parse(std::string text) {
  static const limits defaults{};
  parsed p{std::move(text), {}};
  request_parser parser(defaults);
  EXPECT_FALSE(parser.parse(p.text.data(), p.text.size(), p.head).has_value()) << p.text;
  return p;
}

std::string handshake(std::string_view extra = "", std::string_view version = "13") {
  return "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " +
         std::string(version) + "\r\n" + std::string(extra) + "\r\n";
}

TEST(WebSocketHandshake, ReadsAValidRequest) {
  auto p = parse(handshake("Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Protocol: v2\r\n"
                           "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  ASSERT_TRUE(asks_for_websocket(p.head));
  handshake_request request;
  EXPECT_FALSE(check_handshake(p.head, request).has_value());
  EXPECT_EQ(request.key, "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(request.subprotocols, (std::vector<std::string_view>{"chat", "superchat", "v2"}));
  ASSERT_EQ(request.extensions.size(), 1u);
  EXPECT_EQ(request.extensions[0], "permessage-deflate");
}

TEST(WebSocketHandshake, UpgradeTokenIsCaseInsensitiveAndInAList) {
  auto p = parse("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: foo/2, WebSocket\r\nConnection: UPGRADE\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  ASSERT_TRUE(asks_for_websocket(p.head));
  handshake_request request;
  EXPECT_FALSE(check_handshake(p.head, request).has_value());
  EXPECT_FALSE(asks_for_websocket(parse("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n").head));
  EXPECT_FALSE(asks_for_websocket(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n").head));
}

// Each broken handshake gets the answer §4.2.1 and §4.4 ask for.
TEST(WebSocketHandshake, RefusesBrokenRequests) {
  struct refused {
    std::string request;
    int status;
  };
  const refused cases[] = {
      {"POST /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400},
      {"GET /chat HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400},
      {"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400},
      {handshake("", "8"), 426},
      {"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 426},
      {"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Version: 13\r\n\r\n", 400},
      {"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n", 400},  // 5 bytes
      {handshake("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), 400},        // two keys
      {handshake("Sec-WebSocket-Protocol: chat, a b\r\n"), 400},
      {handshake("Content-Length: 5\r\n"), 400},
  };
  for (const auto& c : cases) {
    auto p = parse(c.request);
    ASSERT_TRUE(asks_for_websocket(p.head)) << c.request;
    handshake_request request;
    const auto refusal = check_handshake(p.head, request);
    ASSERT_TRUE(refusal.has_value()) << c.request;
    EXPECT_EQ(refusal->status, c.status) << c.request;
    if (c.status == 426) {
      ASSERT_EQ(refusal->headers.size(), 1u);
      EXPECT_EQ(refusal->headers[0].name, "sec-websocket-version");
      EXPECT_EQ(refusal->headers[0].value, "13");
    }
  }
}

}  // namespace
}  // namespace cogi::http::websocket
