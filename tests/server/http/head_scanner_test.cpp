#include "cogi/server/http/head_scanner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cogi::http {
namespace {

struct scan_result {
  head_scanner::state state;
  rejection error;
  std::size_t prefix = 0;
  std::size_t length = 0;
};

scan_result scan(std::string text, const limits& l = {}) {
  head_scanner scanner(l);
  const auto state = scanner.scan(text.data(), text.size());
  return {state, scanner.error(), scanner.prefix_length(), scanner.head_length()};
}

TEST(HeadScanner, FindsTheEndOfACompleteHead) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const auto result = scan(head + "next bytes");
  ASSERT_EQ(result.state, head_scanner::state::complete);
  EXPECT_EQ(result.prefix, 0u);
  EXPECT_EQ(result.length, head.size());
}

TEST(HeadScanner, IsIncompleteUntilTheEmptyLineArrivesAtAnySplit) {
  std::string head = "GET /path HTTP/1.1\r\nHost: a\r\nX-Long: value\r\n\r\n";
  for (std::size_t split = 1; split < head.size(); ++split) {
    limits l;
    head_scanner scanner(l);
    EXPECT_EQ(scanner.scan(head.data(), split), head_scanner::state::incomplete) << split;
    EXPECT_EQ(scanner.scan(head.data(), head.size()), head_scanner::state::complete) << split;
    EXPECT_EQ(scanner.head_length(), head.size());
  }
}

TEST(HeadScanner, SkipsBlankLinesBeforeTheRequestLine) {
  const auto result = scan("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(result.state, head_scanner::state::complete);
  EXPECT_EQ(result.prefix, 4u);
}

TEST(HeadScanner, RejectsObsFold) {
  const auto result = scan("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n");
  EXPECT_EQ(result.state, head_scanner::state::rejected);
  EXPECT_EQ(result.error.status, 400);
}

TEST(HeadScanner, RejectsBareLfAndBareCr) {
  EXPECT_EQ(scan("GET / HTTP/1.1\nHost: a\r\n\r\n").error.status, 400);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n").state, head_scanner::state::rejected);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: a\r\n\n").state, head_scanner::state::rejected);
  // llhttp 8.1 accepts a bare CR right after the colon's whitespace: the scanner must not.
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nHost: \r\r\n\r\n").state, head_scanner::state::rejected);
}

TEST(HeadScanner, RejectsABareCrSplitAcrossReads) {
  limits l;
  head_scanner scanner(l);
  std::string head = "GET / HTTP/1.1\r\nX: a\r";
  ASSERT_EQ(scanner.scan(head.data(), head.size()), head_scanner::state::incomplete);
  head += "b\r\n\r\n";
  EXPECT_EQ(scanner.scan(head.data(), head.size()), head_scanner::state::rejected);
}

TEST(HeadScanner, LongTargetIs414) {
  limits l;
  l.max_target_bytes = 100;
  EXPECT_EQ(scan("GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", l).error.status, 414);
  // Also before the line is complete: the server must not buffer without bound.
  EXPECT_EQ(scan("GET /" + std::string(400, 'a'), l).error.status, 414);
}

TEST(HeadScanner, LargeHeadIs431) {
  limits l;
  l.max_header_bytes = 1024;
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n", l).error.status, 431);
  EXPECT_EQ(scan("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a'), l).error.status, 431);
}

TEST(HeadScanner, TooManyFieldsIs431) {
  limits l;
  l.max_header_count = 3;
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 4; ++i) head += "X" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(scan(head + "\r\n", l).error.status, 431);
}

TEST(HeadScanner, VersionsOtherThanOneAre505AndMinorAboveOneIsServedAsOneOne) {
  EXPECT_EQ(scan("GET / HTTP/2.0\r\nHost: a\r\n\r\n").error.status, 505);
  EXPECT_EQ(scan("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").error.status, 505);
  EXPECT_EQ(scan("GET / HTTP/3.0\r\n\r\n").error.status, 505);
  EXPECT_EQ(scan("GET / HTTP/1.10\r\n\r\n").error.status, 400);
  std::string head = "GET / HTTP/1.2\r\nHost: a\r\n\r\n";
  limits l;
  head_scanner scanner(l);
  ASSERT_EQ(scanner.scan(head.data(), head.size()), head_scanner::state::complete);
  EXPECT_EQ(head.substr(0, 14), "GET / HTTP/1.1");
}

TEST(HeadScanner, MalformedRequestLineIs400) {
  EXPECT_EQ(scan("GET\r\n\r\n").error.status, 400);
  EXPECT_EQ(scan("GET /\r\n\r\n").error.status, 400);
  EXPECT_EQ(scan("GET / FTP/1.1\r\n\r\n").error.status, 400);
  EXPECT_EQ(scan("GET  / HTTP/1.1\r\n\r\n").error.status, 400);  // llhttp 8.1 skips the extra space
  EXPECT_EQ(scan("GET /a b HTTP/1.1\r\n\r\n").error.status, 400);
}

// Found by fuzzing (tests/fuzz/corpus/request_head/regression-split-limit-vs-version):
// a long request line with a malformed version was a 414 when it came in two reads and
// a 400 in one. Every head below must get the same answer at every split.
TEST(HeadScanner, TheAnswerDoesNotDependOnHowTheBytesArrive) {
  limits l;
  l.max_target_bytes = 64;
  l.max_header_bytes = 256;
  std::vector<std::string> heads(5);
  heads[0].assign(150, 'x').append(" GET /a HTTP/0.\xba" "1\r\nHost: a\r\n\r\n");
  heads[1].assign("GET /").append(100, 'a').append(" HTTP/1.1\r\n\r\n");
  heads[2].assign("GET / HTTP/1.1\r\nX: a\rb").append(300, 'c').append("\r\n\r\n");
  heads[3].assign("GET / HTTP/1.1\r\nX: ").append(300, 'c').append("\rb\r\n\r\n");
  heads[4].assign("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  for (const auto& head : heads) {
    std::string whole = head;
    head_scanner one(l);
    const auto expected = one.scan(whole.data(), whole.size());
    for (std::size_t split = 1; split < head.size(); ++split) {
      std::string bytes = head;
      head_scanner two(l);
      auto state = two.scan(bytes.data(), split);
      if (state == head_scanner::state::incomplete) state = two.scan(bytes.data(), bytes.size());
      ASSERT_EQ(state, expected) << "split at " << split << " of " << head.substr(0, 40);
      if (state == head_scanner::state::rejected) {
        ASSERT_EQ(two.error().status, one.error().status) << split;
      }
    }
  }
}

}  // namespace
}  // namespace cogi::http
