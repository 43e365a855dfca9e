#include "lib/tokenizer/bert_normalizer.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

std::string Normalize(std::string_view text, BertNormalizer::Options options = {}) {
  auto normalizer = BertNormalizer::Create(options);
  EXPECT_TRUE(normalizer.ok());
  return normalizer.value()->Normalize(text);
}

TEST(BertNormalizerTest, UncasedDefaults) {
  EXPECT_EQ(Normalize("Héllo\tWORLD\u00A0Ñandú"), "hello world nandu");
  EXPECT_EQ(Normalize("Łódź Ærø"), "łodz ærø");  // Ł, Æ and Ø have no decomposition
  EXPECT_EQ(Normalize("ΑΒΓ Привет"), "αβγ привет");
}

TEST(BertNormalizerTest, CleansControlAndFormatCharacters) {
  EXPECT_EQ(Normalize("a\x01"
                      "b\xE2\x80\x8B"
                      "c\xEF\xBF\xBD"
                      "d\x0B"
                      "e"),
            "abcde");
  EXPECT_EQ(Normalize(std::string("x\0y", 3)), "xy");
  EXPECT_EQ(Normalize("line\r\nnext\u3000end"), "line  next end");
}

TEST(BertNormalizerTest, SpacesAroundChineseCharacters) {
  EXPECT_EQ(Normalize("患者abc头痛"), " 患  者 abc 头  痛 ");
  BertNormalizer::Options no_cjk;
  no_cjk.handle_chinese_chars = false;
  EXPECT_EQ(Normalize("患者abc", no_cjk), "患者abc");
}

TEST(BertNormalizerTest, AccentsFollowTheOptions) {
  BertNormalizer::Options cased;
  cased.lowercase = false;
  EXPECT_EQ(Normalize("Héllo", cased), "Héllo");
  cased.strip_accents = true;
  EXPECT_EQ(Normalize("Héllo", cased), "Hello");
  BertNormalizer::Options keep_accents;
  keep_accents.strip_accents = false;
  EXPECT_EQ(Normalize("ÉCOLE", keep_accents), "école");
  // A combining accent is dropped whatever letter it sits on.
  EXPECT_EQ(Normalize("e\u0301x\u0308"), "ex");
}

}  // namespace
}  // namespace hai::tokenizer
