// How values become statement parameters (clients/postgres/params.hpp), without a server.

#include "cogi/clients/postgres/params.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "cogi/clients/postgres/queries.hpp"

namespace cogi::postgres {
namespace {

template <class T>
std::string encoded_text(const T& value) {
  detail::encoded_param p;
  param_traits<T>::encode(value, p);
  EXPECT_NE(p.value(), nullptr);
  EXPECT_EQ(p.format, 0);
  return std::string(p.value(), static_cast<std::size_t>(p.length));
}

TEST(PostgresParams, NumbersAndBooleansAreText) {
  EXPECT_EQ(encoded_text(42), "42");
  EXPECT_EQ(encoded_text(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(encoded_text(static_cast<std::uint16_t>(65535)), "65535");
  EXPECT_EQ(encoded_text(0.1), "0.1");
  EXPECT_EQ(encoded_text(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(encoded_text(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(encoded_text(true), "t");
  EXPECT_EQ(encoded_text(false), "f");
}

TEST(PostgresParams, TextNeedsNoCopyAndRefusesNul) {
  const std::string text = "héllo";
  detail::encoded_param p;
  param_traits<std::string>::encode(text, p);
  EXPECT_EQ(p.value(), text.c_str());  // the argument itself: it outlives the send
  EXPECT_THROW(param_traits<std::string>::encode(std::string("a\0b", 3), p), std::invalid_argument);
  EXPECT_EQ(encoded_text(std::string_view("view")), "view");
}

TEST(PostgresParams, EmptyOptionalIsNullAndBytesAreBinary) {
  detail::encoded_param p;
  param_traits<std::optional<int>>::encode(std::nullopt, p);
  EXPECT_EQ(p.value(), nullptr);
  param_traits<std::optional<int>>::encode(7, p);
  EXPECT_STREQ(p.value(), "7");

  const bytea empty;
  param_traits<bytea>::encode(empty, p);
  EXPECT_NE(p.value(), nullptr) << "an empty bytea is not NULL";
  EXPECT_EQ(p.length, 0);
  EXPECT_EQ(p.format, 1);
}

TEST(PostgresParams, IntegerVectorsAreArrayLiterals) {
  EXPECT_EQ(encoded_text(std::vector<int>{3, -1, 2}), "{3,-1,2}");
  EXPECT_EQ(encoded_text(std::vector<int>{}), "{}");
}

TEST(PostgresParams, BatchKeepsEveryCallsValuesWhileItGrows) {
  batch b;
  std::string changing = "first";
  for (int i = 0; i < 100; ++i) b.add("SELECT $1::int, $2::text", i, changing);
  changing = "changed";  // the batch copied it
  const std::vector<call> calls = b.calls();
  ASSERT_EQ(calls.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(calls[i].params.count, 2);
    EXPECT_EQ(std::string(calls[i].params.values[0]), std::to_string(i));
    EXPECT_EQ(std::string(calls[i].params.values[1]), "first");
    EXPECT_STREQ(calls[i].sql, "SELECT $1::int, $2::text");
  }
}

}  // namespace
}  // namespace cogi::postgres
