// RESP3 (clients/redis/resp.hpp) without a server: every reply type, replies split at
// every byte, attributes and push frames, what is refused, and commands' bytes.

#include "cogi/clients/redis/resp.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cogi::redis {
namespace {

std::vector<value> parse_all(std::string_view bytes) {
  parser p;
  p.feed(bytes);
  std::vector<value> out;
  while (auto v = p.next()) out.push_back(std::move(*v));
  EXPECT_EQ(p.buffered(), 0u);
  return out;
}

TEST(Resp, EveryReplyType) {
  const std::string bytes =
      "+OK\r\n-ERR bad\r\n:-42\r\n,3.5\r\n,inf\r\n#t\r\n_\r\n$5\r\nhe\r\no\r\n!4\r\nOOPS\r\n"
      "=8\r\ntxt:abcd\r\n(123456789012345678901234567890\r\n$-1\r\n*-1\r\n$0\r\n\r\n";
  const std::vector<value> v = parse_all(bytes);
  ASSERT_EQ(v.size(), 14u);
  EXPECT_EQ(v[0].kind, kind::simple_string);
  EXPECT_EQ(v[0].text, "OK");
  EXPECT_TRUE(v[1].is_error());
  EXPECT_EQ(v[1].text, "ERR bad");
  EXPECT_EQ(v[2].integer, -42);
  EXPECT_EQ(v[3].number, 3.5);
  EXPECT_TRUE(std::isinf(v[4].number));
  EXPECT_TRUE(v[5].boolean);
  EXPECT_TRUE(v[6].is_null());
  EXPECT_EQ(v[7].text, "he\r\no") << "a blob's length, not its CRLFs, ends it";
  EXPECT_EQ(v[8].kind, kind::blob_error);
  EXPECT_EQ(v[9].text, "abcd");
  EXPECT_EQ(v[10].text, "123456789012345678901234567890");
  EXPECT_TRUE(v[11].is_null());
  EXPECT_TRUE(v[12].is_null());
  EXPECT_EQ(v[13].kind, kind::blob_string);
  EXPECT_EQ(v[13].text, "");
}

TEST(Resp, AggregatesNestAndAttributesAreDropped) {
  const std::string bytes =
      "*3\r\n:1\r\n*2\r\n+a\r\n_\r\n%1\r\n$1\r\nk\r\n~2\r\n:1\r\n:2\r\n"
      "|1\r\n+ttl\r\n:3600\r\n$5\r\nvalue\r\n"
      ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n*0\r\n";
  const std::vector<value> v = parse_all(bytes);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].describe(), R"([1, ["a", nil], {"k": [1, 2]}])");
  EXPECT_EQ(v[0].elements[2].find("k")->elements.size(), 2u);
  EXPECT_EQ(v[1].text, "value") << "the attribute before it is metadata";
  EXPECT_EQ(v[2].kind, kind::push);
  EXPECT_EQ(v[2].elements[2].text, "hi");
  EXPECT_EQ(v[3].kind, kind::array);
  EXPECT_TRUE(v[3].elements.empty());
}

TEST(Resp, RepliesSplitAtEveryByteComeOutTheSame) {
  const std::string bytes =
      "*2\r\n$10\r\n0123456789\r\n%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n,2.5\r\n>2\r\n+x\r\n_\r\n-ERR no\r\n";
  const std::vector<value> whole = parse_all(bytes);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    for (std::size_t second = cut; second < bytes.size(); second += 3) {
      parser p;
      std::vector<value> pieces;
      for (const std::string_view part : {std::string_view(bytes).substr(0, cut),
                                          std::string_view(bytes).substr(cut, second - cut),
                                          std::string_view(bytes).substr(second)}) {
        p.feed(part);
        while (auto v = p.next()) pieces.push_back(std::move(*v));
      }
      ASSERT_EQ(pieces.size(), whole.size()) << cut << "/" << second;
      for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(pieces[i].describe(), whole[i].describe());
    }
  }
}

TEST(Resp, MalformedRepliesAreProtocolErrors) {
  for (const std::string bad : {"?what\r\n", ":12x\r\n", "$3\r\nabcd\r\n", "#x\r\n", "*?\r\n", "$?\r\n", "\r\n",
                                "$-5\r\n", "=3\r\nabc\r\n"}) {
    parser p;
    p.feed(bad);
    EXPECT_THROW(
        {
          while (p.next()) {
          }
        },
        protocol_error)
        << bad;
  }
  parser deep;
  std::string nested;
  for (int i = 0; i < 100; ++i) nested += "*1\r\n";
  deep.feed(nested);
  EXPECT_THROW(deep.next(), protocol_error);
}

TEST(Resp, CommandsAreArraysOfBlobStrings) {
  std::string out;
  append_command(out, "SET", std::string("k"), std::string_view("a b"), "PX", 1500);
  EXPECT_EQ(out, "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na b\r\n$2\r\nPX\r\n$4\r\n1500\r\n");
  out.clear();
  append_command(out, std::vector<std::string>{"MGET", "a", ""});
  EXPECT_EQ(out, "*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$0\r\n\r\n");
}

}  // namespace
}  // namespace cogi::redis
