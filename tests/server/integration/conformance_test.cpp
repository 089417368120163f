// Strict HTTP/1.1 framing over real sockets (issue 2, docs/http.md): each malformed or
// smuggling-prone request gets its status and a closed connection, and the server keeps
// serving a fresh connection afterwards.

#include <gtest/gtest.h>

#include <string>

#include "examples/demo/demo_app.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

struct malformed_case {
  const char* name;
  std::string request;
  int status;
};

// Test names show the case's name rather than its bytes.
void PrintTo(const malformed_case& c, std::ostream* out) { *out << c.name; }

class Conformance : public ::testing::TestWithParam<malformed_case> {
 protected:
  static void SetUpTestSuite() {
    auto config = running_server::quiet_config();
    config.limits.max_target_bytes = 1024;
    config.limits.max_header_bytes = 4096;
    config.limits.max_header_count = 20;
    config.limits.max_body_bytes = 1024;
    server_ = new running_server(examples::demo_app(), config);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static running_server* server_;
};
running_server* Conformance::server_ = nullptr;

TEST_P(Conformance, RejectsWithStatusClosesAndKeepsServing) {
  const auto& c = GetParam();
  raw_client client(server_->port());
  client.send(c.request);
  const auto response = client.read_response();
  EXPECT_EQ(response.status, c.status) << response.body;
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(response.header("date").has_value());
  EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_FALSE(response.body.empty());
  EXPECT_TRUE(client.closed_by_peer()) << "connection left open after a " << c.status;

  const auto fresh = get(server_->port(), "/plaintext");
  EXPECT_EQ(fresh.status, 200);
  EXPECT_EQ(fresh.body, "Hello, World!");
}

using namespace std::string_literals;
const std::string host = "Host: test\r\n";

INSTANTIATE_TEST_SUITE_P(
    Malformed, Conformance,
    ::testing::Values(
        malformed_case{"ContentLengthWithTransferEncoding",
                       "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        malformed_case{"DuplicateDifferingContentLength",
                       "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
        malformed_case{"MalformedContentLength", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 5x\r\n\r\nhello", 400},
        malformed_case{"NegativeContentLength", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400},
        malformed_case{"TransferEncodingNotEndingInChunked",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked, identity\r\n\r\n", 400},
        malformed_case{"UnknownTransferEncoding", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 400},
        malformed_case{"ObsFold", "GET /plaintext HTTP/1.1\r\n" + host + "X-Folded: a\r\n b\r\n\r\n", 400},
        malformed_case{"WhitespaceBeforeColon", "GET /plaintext HTTP/1.1\r\nHost : test\r\n\r\n", 400},
        malformed_case{"BareCrInField", "GET /plaintext HTTP/1.1\r\n" + host + "X: a\rb\r\n\r\n", 400},
        malformed_case{"BareCrAfterColon", "GET /plaintext HTTP/1.1\r\nHost: test\r\nX: \r\r\n\r\n", 400},
        malformed_case{"DelInField", "GET /plaintext HTTP/1.1\r\n" + host + "X: a\x7f\r\n\r\n", 400},
        malformed_case{"BareLfLineEnding", "GET /plaintext HTTP/1.1\n" + host + "\r\n", 400},
        malformed_case{"NulInField", "GET /plaintext HTTP/1.1\r\nHost: test\r\nX: a\0b\r\n\r\n"s, 400},
        malformed_case{"ControlByteInField", "GET /plaintext HTTP/1.1\r\n" + host + "X: a\x01" "b\r\n\r\n", 400},
        malformed_case{"InvalidMethodToken", "G@T /plaintext HTTP/1.1\r\n" + host + "\r\n", 400},
        malformed_case{"InvalidFieldNameToken", "GET /plaintext HTTP/1.1\r\n" + host + "X[1]: a\r\n\r\n", 400},
        malformed_case{"MissingHost", "GET /plaintext HTTP/1.1\r\n\r\n", 400},
        malformed_case{"TwoHosts", "GET /plaintext HTTP/1.1\r\n" + host + host + "\r\n", 400},
        malformed_case{"InvalidHostValue", "GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
        malformed_case{"ChunkSizeOverflow",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n1000000000000000000\r\n", 400},
        malformed_case{"ChunkSizeGarbage", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        malformed_case{"ChunkDataWithoutCrlf",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n", 400},
        malformed_case{"ChunkExtensionControlByte",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3;a\x01\r\nabc\r\n0\r\n\r\n", 400},
        malformed_case{"ChunkedInHttp10", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        malformed_case{"Http2RequestLine", "GET /plaintext HTTP/2.0\r\n" + host + "\r\n", 505},
        malformed_case{"Http2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
        malformed_case{"UnknownMethod", "BREW /plaintext HTTP/1.1\r\n" + host + "\r\n", 501},
        malformed_case{"TargetTooLong", "GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n" + host + "\r\n", 414},
        malformed_case{"HeadTooLarge", "GET /plaintext HTTP/1.1\r\n" + host + "X: " + std::string(5000, 'a') + "\r\n\r\n", 431},
        malformed_case{"TooManyFields", [] {
                         std::string r = "GET /plaintext HTTP/1.1\r\n" + host;
                         for (int i = 0; i < 25; ++i) r += "X-" + std::to_string(i) + ": v\r\n";
                         return r + "\r\n";
                       }(), 431},
        malformed_case{"BodyTooLargeByContentLength", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 5000\r\n\r\n", 413},
        malformed_case{"BodyTooLargeWhileChunked",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n" + "800\r\n" +
                           std::string(2048, 'x') + "\r\n0\r\n\r\n", 413},
        malformed_case{"EmptyHost", "GET /plaintext HTTP/1.1\r\nHost:\r\n\r\n", 400},
        malformed_case{"CommaInHost", "GET /plaintext HTTP/1.1\r\nHost: a,b\r\n\r\n", 400},
        malformed_case{"ContentLengthWithSpaceInside", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 1 0\r\n\r\nhello", 400},
        malformed_case{"ExtraSpaceInRequestLine", "GET  /plaintext HTTP/1.1\r\n" + host + "\r\n", 400},
        malformed_case{"NonAsciiTarget", "GET /caf\xc3\xa9 HTTP/1.1\r\n" + host + "\r\n", 400},
        malformed_case{"ChunkExtensionBareSemicolon",
                       "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", 400},
        malformed_case{"FragmentInTarget", "GET /plaintext#x HTTP/1.1\r\n" + host + "\r\n", 400},
        malformed_case{"UnsupportedExpectation", "POST /echo HTTP/1.1\r\n" + host + "Expect: magic\r\nContent-Length: 1\r\n\r\nx", 417}),
    [](const ::testing::TestParamInfo<malformed_case>& param_info) { return std::string(param_info.param.name); });

TEST(ConformanceStreaming, BadChunkAfterTheResponseStartedClosesWithoutCompletingIt) {
  running_server server(examples::demo_app());
  raw_client client(server.port());
  // The echo has started its response when the bad framing arrives: the response can
  // only be cut off, never completed or followed by another.
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
  const std::string first = client.read_available(std::chrono::milliseconds(500));
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos);
  client.send("3\r\ndefXX0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string rest = client.read_until_close();
  EXPECT_EQ((first + rest).find("0\r\n\r\n"), std::string::npos) << first + rest;
  EXPECT_EQ(rest.find("Hello, World!"), std::string::npos);
  EXPECT_EQ(get(server.port(), "/plaintext").status, 200);
}

}  // namespace
}  // namespace cogi::testing
