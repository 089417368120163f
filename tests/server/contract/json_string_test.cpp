// JSON string literals for log lines: escapes, UTF-8 kept, broken UTF-8 replaced.

#include "cogi/server/contract/json_string.hpp"

#include <gtest/gtest.h>

namespace cogi {
namespace {

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json("a\"b\\c\n\r\t\x01\x7f"), R"("a\"b\\c\n\r\t\u0001\u007f")");
}

TEST(JsonString, KeepsUtf8AndReplacesBrokenBytes) {
  EXPECT_EQ(json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(json("\xff\xc3"), R"("\ufffd\ufffd")");
  EXPECT_EQ(json(std::string_view("\0", 1)), R"("\u0000")");
}

}  // namespace
}  // namespace cogi
