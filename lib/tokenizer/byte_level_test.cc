#include "lib/tokenizer/byte_level.h"

#include <gtest/gtest.h>

#include <set>

namespace hai::tokenizer {
namespace {

TEST(ByteLevelTest, EveryByteHasItsOwnCharacterAndBack) {
  const ByteLevelAlphabet& a = ByteLevelAlphabet::Get();
  std::set<char32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const char32_t ch = a.CharFor(static_cast<unsigned char>(b));
    EXPECT_TRUE(seen.insert(ch).second) << b;
    ASSERT_TRUE(a.ByteFor(ch).has_value()) << b;
    EXPECT_EQ(*a.ByteFor(ch), b);
  }
  EXPECT_EQ(seen.size(), 256u);
}

TEST(ByteLevelTest, PrintableBytesStandForThemselves) {
  const ByteLevelAlphabet& a = ByteLevelAlphabet::Get();
  for (int b = '!'; b <= '~'; ++b) EXPECT_EQ(a.CharFor(static_cast<unsigned char>(b)), char32_t(b));
  EXPECT_EQ(a.CharFor(0xA1), U'\u00A1');
  EXPECT_EQ(a.CharFor(0xFF), U'\u00FF');
}

TEST(ByteLevelTest, TheOthersCountUpFromU0100) {
  const ByteLevelAlphabet& a = ByteLevelAlphabet::Get();
  EXPECT_EQ(a.CharFor(0x00), U'\u0100');
  EXPECT_EQ(a.CharFor('\n'), U'\u010A');  // Ċ
  EXPECT_EQ(a.CharFor(' '), U'\u0120');   // Ġ, after the 32 control bytes
  EXPECT_EQ(a.CharFor(0x7F), U'\u0121');
  EXPECT_EQ(a.CharFor(0xA0), U'\u0142');  // ł
  EXPECT_EQ(a.CharFor(0xAD), U'\u0143');  // Ń, the 68th and last
  EXPECT_FALSE(a.ByteFor(U'\u0144').has_value());
  EXPECT_FALSE(a.ByteFor(U'\u4E2D').has_value());
}

TEST(ByteLevelTest, SpellsTextAndReadsItBack) {
  const ByteLevelAlphabet& a = ByteLevelAlphabet::Get();
  EXPECT_EQ(a.ToAlphabet(" hi\n"),
            "Ġhi"
            "Ċ");
  EXPECT_EQ(a.ToAlphabet("中"), "ä¸Ń");  // E4 B8 AD
  EXPECT_EQ(a.FromAlphabet("Ġhi"), " hi");
  EXPECT_EQ(a.FromAlphabet("ä¸Ń"), "中");
  EXPECT_FALSE(a.FromAlphabet("中").has_value());  // not an alphabet character
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(a.FromAlphabet(a.ToAlphabet(all)), all);
}

}  // namespace
}  // namespace hai::tokenizer
