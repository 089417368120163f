#include "cogi/server/contract/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cogi {
namespace {

using namespace std::string_literals;

TEST(Utf8, AcceptsEveryWellFormedLength) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));             // U+00E9
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));            // U+20AC
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbf"));            // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));        // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));        // U+10FFFF, the last
  EXPECT_TRUE(is_valid_utf8("\0"s));                     // NUL is a character
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x98\x80 rest"), 4u);
}

TEST(Utf8, RejectsWhatRfc3629Forbids) {
  EXPECT_EQ(find_invalid_utf8("ab\x80"), 2u);              // lone continuation byte
  EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u);            // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xc1\xbf"), 0u);            // overlong
  EXPECT_EQ(find_invalid_utf8("\xe0\x80\xaf"), 0u);        // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("\xf0\x80\x80\xaf"), 0u);    // overlong 4-byte
  EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80"), 1u);       // U+D800, a surrogate
  EXPECT_EQ(find_invalid_utf8("\xed\xbf\xbf"), 0u);        // U+DFFF
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u);    // U+110000
  EXPECT_EQ(find_invalid_utf8("\xf5\x80\x80\x80"), 0u);    // lead byte past F4
  EXPECT_EQ(find_invalid_utf8("\xff"), 0u);
  EXPECT_EQ(find_invalid_utf8("ok\xe2\x82"), 2u);          // truncated at the end
  EXPECT_EQ(find_invalid_utf8("\xe2\x28\xa1"), 0u);        // bad continuation
}

// Every two-byte input against a decoder written from the definition (RFC 3629 §3).
TEST(Utf8, TwoByteSequencesMatchTheDefinition) {
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const std::string text{static_cast<char>(a), static_cast<char>(b)};
      bool expected;
      if (a < 0x80) {
        expected = b < 0x80;
      } else if (a >= 0xc2 && a <= 0xdf) {
        expected = b >= 0x80 && b <= 0xbf;
      } else {
        expected = false;  // 3- and 4-byte leads are truncated; others invalid
      }
      EXPECT_EQ(is_valid_utf8(text), expected) << std::hex << a << " " << b;
    }
}

}  // namespace
}  // namespace cogi
