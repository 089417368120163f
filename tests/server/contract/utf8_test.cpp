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

// The incremental validator agrees with the whole-text one however the text is cut.
bool valid_in_pieces(std::string_view text, std::size_t piece) {
  utf8_validator validator;
  for (std::size_t at = 0; at < text.size(); at += piece) validator.feed(text.substr(at, piece));
  return validator.complete();
}

TEST(Utf8Validator, AgreesWithTheWholeTextCheckForEveryCut) {
  const std::string samples[] = {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac\xf0\x9f\x98\x80x", "\xf4\x8f\xbf\xbf",
                                 "ab\x80", "\xc0\xaf", "\xe0\x80\xaf", "x\xed\xa0\x80", "\xf4\x90\x80\x80",
                                 "ok\xe2\x82", "\xe2\x28\xa1", "\xf0\x9f\x98"};
  for (const auto& text : samples)
    for (std::size_t piece = 1; piece <= 4; ++piece)
      EXPECT_EQ(valid_in_pieces(text, piece), is_valid_utf8(text)) << text << " in pieces of " << piece;
  // Every two-byte input, fed a byte at a time.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const std::string text{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(valid_in_pieces(text, 1), is_valid_utf8(text)) << std::hex << a << " " << b;
    }
}

// RFC 6455 §8.1 (Autobahn 6.4): the connection fails at the byte that cannot be UTF-8,
// before the rest of the message arrives, and an open sequence at a piece's end is fine.
TEST(Utf8Validator, FailsAtTheFirstImpossibleByte) {
  utf8_validator validator;
  EXPECT_TRUE(validator.feed("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));  // κόσμε
  EXPECT_TRUE(validator.feed("\xf4"));
  EXPECT_FALSE(validator.complete());                  // a sequence is open
  EXPECT_FALSE(validator.feed("\x90"));                // F4 90: past U+10FFFF already
  EXPECT_TRUE(validator.failed());
  EXPECT_FALSE(validator.feed("a"));                   // failed stays failed
  validator.reset();
  EXPECT_TRUE(validator.feed("\xed"));
  EXPECT_FALSE(validator.feed("\xa0"));                // a surrogate's second byte
  validator.reset();
  EXPECT_TRUE(validator.feed("\xe0"));
  EXPECT_FALSE(validator.feed("\x9f"));                // overlong three-byte form
  validator.reset();
  EXPECT_TRUE(validator.feed("\xf0\x9f\x98"));
  EXPECT_TRUE(validator.feed("\x80"));
  EXPECT_TRUE(validator.complete());
}

}  // namespace
}  // namespace cogi
