#include "cogi/framework/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cogi/framework/json_writer.hpp"

namespace cogi {
namespace {

json_syntax_error error_of(std::string_view text, json_read_limits limits = {}) {
  try {
    read_json(text, limits);
  } catch (const json_syntax_error& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << text;
  return json_syntax_error("", 0, 0, 0, "");
}

TEST(JsonReader, ReadsEveryKindOfValue) {
  const auto doc = read_json(R"( {"s": "a\"b\\c\/\n\u00e9\ud83d\ude00", "i": -42, "big": 9223372036854775807,
    "huge": 18446744073709551616, "f": 1.5e2, "t": true, "n": null, "a": [1, [], {}], "e": ""} )");
  ASSERT_TRUE(doc.is<picojson::object>());
  EXPECT_EQ(doc.get("s").get<std::string>(), "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(doc.get("i").get<std::int64_t>(), -42);
  EXPECT_EQ(doc.get("big").get<std::int64_t>(), INT64_MAX);
  EXPECT_FALSE(doc.get("huge").is<std::int64_t>());  // past 64 bits: a double
  EXPECT_DOUBLE_EQ(doc.get("huge").get<double>(), 18446744073709551616.0);
  EXPECT_DOUBLE_EQ(doc.get("f").get<double>(), 150.0);
  EXPECT_TRUE(doc.get("t").get<bool>());
  EXPECT_TRUE(doc.get("n").is<picojson::null>());
  EXPECT_EQ(doc.get("a").get<picojson::array>().size(), 3u);
  EXPECT_EQ(to_json(read_json("[1,2.5,\"x\"]")), "[1,2.5,\"x\"]");
}

TEST(JsonReader, ErrorsSayWhatAndWhere) {
  const auto e = error_of("{\n  \"a\": 1,\n  \"b\" 2\n}");
  EXPECT_EQ(e.problem(), "expected ':' after an object key");
  EXPECT_EQ(e.line(), 3u);
  EXPECT_EQ(e.column(), 7u);
  EXPECT_NE(std::string(e.what()).find("at line 3, column 7"), std::string::npos) << e.what();
}

// Issue 12: a 900 KB malformed document got a 900 KB error.
TEST(JsonReader, ErrorsNeverCarryTheDocument) {
  std::string big = "[1,2,";
  big.append(900'000, 'x');
  const auto e = error_of(big);
  EXPECT_LE(e.context().size(), json_syntax_error::max_context_bytes);
  EXPECT_LT(std::string(e.what()).size(), 200u) << e.what();
  EXPECT_EQ(e.offset(), 5u);
}

// Issue 12, RFC 8259 §8.1: JSON text is UTF-8; invalid bytes are refused, and the error's
// context shows them escaped (so the error itself is valid UTF-8).
TEST(JsonReader, RejectsInvalidUtf8InStrings) {
  for (const char* bad : {"[\"\xff\"]", "[\"\xc0\xaf\"]", "[\"caf\xc3\"]", "[\"\xed\xa0\x80\"]", "{\"\x80\": 1}"}) {
    const auto e = error_of(bad);
    EXPECT_EQ(e.problem(), "invalid UTF-8 in a string") << bad;
    EXPECT_NE(e.context().find("\\x"), std::string::npos) << e.context();
  }
  EXPECT_EQ(read_json("[\"caf\xc3\xa9\"]").get(0).get<std::string>(), "caf\xc3\xa9");
}

TEST(JsonReader, RejectsLoneSurrogateEscapes) {
  EXPECT_EQ(error_of(R"(["\ud800"])").problem(), "lone high surrogate in a \\u escape");
  EXPECT_EQ(error_of(R"(["\ud800\u0041"])").problem(), "lone high surrogate in a \\u escape");
  EXPECT_EQ(error_of(R"(["\udc00"])").problem(), "lone low surrogate in a \\u escape");
}

TEST(JsonReader, RejectsWhatTheGrammarDoesNot) {
  for (const char* bad : {"", " ", "[1,]", "{\"a\":1,}", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[+1]", "[NaN]",
                          "[Infinity]", "[tru]", "[nul]", "['a']", "{a: 1}", "[\"a\tb\"]", "[\"\\x\"]", "[\"\\u12\"]",
                          "[\"open", "[1] [2]", "[1e999]", "{\"a\"}", "[1 2]", "\xef\xbb\xbf[]"})
    EXPECT_THROW(read_json(bad), json_syntax_error) << bad;
}

TEST(JsonReader, NestingIsBounded) {
  // picojson would recurse until the stack overflows.
  const std::string deep(100'000, '[');
  EXPECT_NE(error_of(deep).problem().find("nested more than 256"), std::string::npos);
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  EXPECT_NO_THROW(read_json(ok));
  EXPECT_THROW(read_json(ok, {.max_depth = 255}), json_syntax_error);
}

}  // namespace
}  // namespace cogi
