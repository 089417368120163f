// cogi::to_json writes what picojson's serialize() writes, byte for byte: responses
// built with cogi::json() must not change when the writer is swapped.

#include "cogi/framework/json_writer.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace {

picojson::value parse(const std::string& text) {
  picojson::value value;
  const std::string error = picojson::parse(value, text);
  EXPECT_EQ(error, "") << text;
  return value;
}

void expect_same_as_picojson(const picojson::value& value) {
  EXPECT_EQ(cogi::to_json(value), value.serialize());
}

TEST(JsonWriter, EveryByteInAStringIsEscapedAsPicojsonDoes) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  expect_same_as_picojson(picojson::value(every_byte));
  // And the text reads back as the same string.
  EXPECT_EQ(parse(cogi::to_json(picojson::value(every_byte))).get<std::string>(), every_byte);
}

TEST(JsonWriter, EscapesAtTheEdgesOfAString) {
  for (const char* text : {"", "\"", "a\"", "\"a", "\n\n", "plain", "tab\there", "end\\", "/path/", "\x7f", "ünï"}) {
    expect_same_as_picojson(picojson::value(text));
  }
  EXPECT_EQ(cogi::to_json(picojson::value("a\"b\n\x01/")), R"("a\"b\n\u0001\/")");
}

TEST(JsonWriter, NumbersAsPicojsonPrintsThem) {
  const double two_53 = 9007199254740992.0;
  for (double number : {0.0, -0.0, 1.0, -1.0, 42.0, -123456789.0, two_53 - 1, -(two_53 - 1), two_53, -two_53,
                        two_53 * 4, 1e300, -1e300, 0.1, -2.5, 1e-7, 3.141592653589793, 1e21, 5e-324,
                        std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()}) {
    expect_same_as_picojson(picojson::value(number));
  }
  for (std::int64_t integer : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1} << 62,
                                std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    expect_same_as_picojson(picojson::value(integer));
  }
  expect_same_as_picojson(parse("[12345678901234567,-0,-0.0,1e2,-9223372036854775808]"));
  EXPECT_EQ(cogi::to_json(picojson::value(-0.0)), "-0");
  EXPECT_EQ(cogi::to_json(picojson::value(1234567.0)), "1234567");
}

TEST(JsonWriter, NestedDocuments) {
  for (const char* text : {
           R"({})", R"([])", R"(null)", R"(true)", R"(false)", R"([[],{},[{}]])",
           R"({"message":"Hello, World!"})",
           R"({"b":[1,2.5,"x",null,true,false,{"c":{"d":[]}}],"a":"\/\"","":0})",
           R"([{"id":1,"name":"Ada","tags":["x","y"],"score":-0.125}])",
       }) {
    expect_same_as_picojson(parse(text));
  }
}

TEST(JsonWriter, AppendsAfterWhatIsThere) {
  std::string out = "data: ";
  cogi::append_json(out, parse(R"({"n":[1,2]})"));
  EXPECT_EQ(out, R"(data: {"n":[1,2]})");
}

}  // namespace
