#include "lib/tokenizer/utf8.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

TEST(Utf8Test, DecodesOneToFourByteCharacters) {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
  Utf8Step s = DecodeUtf8(text, 0);
  EXPECT_EQ(s.kind, Utf8Step::kChar);
  EXPECT_EQ(s.length, 1u);
  EXPECT_EQ(s.code_point, U'a');
  s = DecodeUtf8(text, 1);
  EXPECT_EQ(s.length, 2u);
  EXPECT_EQ(s.code_point, U'\u00E9');
  s = DecodeUtf8(text, 3);
  EXPECT_EQ(s.length, 3u);
  EXPECT_EQ(s.code_point, U'\u4E2D');
  s = DecodeUtf8(text, 6);
  EXPECT_EQ(s.length, 4u);
  EXPECT_EQ(s.code_point, U'\U0001F600');
  EXPECT_TRUE(IsValidUtf8(text));
}

TEST(Utf8Test, TellsTruncatedFromInvalid) {
  Utf8Step s = DecodeUtf8("\xE4\xB8", 0);  // 中 without its last byte
  EXPECT_EQ(s.kind, Utf8Step::kTruncated);
  EXPECT_EQ(s.length, 2u);
  EXPECT_EQ(DecodeUtf8("\xFF", 0).kind, Utf8Step::kInvalid);
  EXPECT_EQ(DecodeUtf8("\x80", 0).kind, Utf8Step::kInvalid);  // a lone continuation
  // Overlong, surrogate and beyond-U+10FFFF forms are invalid at the first byte
  // that rules them out.
  EXPECT_EQ(DecodeUtf8("\xC0\x80", 0).length, 1u);
  s = DecodeUtf8("\xED\xA0\x80", 0);
  EXPECT_EQ(s.kind, Utf8Step::kInvalid);
  EXPECT_EQ(s.length, 1u);
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80", 0).kind, Utf8Step::kInvalid);
  // A valid start broken by a non-continuation byte: its maximal subpart.
  s = DecodeUtf8(
      "\xF0\x9F\x98"
      "A",
      0);
  EXPECT_EQ(s.kind, Utf8Step::kInvalid);
  EXPECT_EQ(s.length, 3u);
}

TEST(Utf8Test, ReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(ReplaceInvalidUtf8("ok"), "ok");
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF"
                               "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ReplaceInvalidUtf8("\xF0\x9F\x98"
                               "A"),
            "\xEF\xBF\xBD"
            "A");
  EXPECT_EQ(ReplaceInvalidUtf8("x\xE4\xB8"), "x\xEF\xBF\xBD");  // cut at the end
  EXPECT_EQ(ReplaceInvalidUtf8("\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_FALSE(IsValidUtf8("a\xC3"));
}

TEST(Utf8Test, AppendUtf8WritesWhatDecodeReads) {
  for (char32_t cp : {U'\u0041', U'\u00E9', U'\u0120', U'\u4F60', U'\uFFFD', U'\U0001F355'}) {
    std::string s;
    AppendUtf8(cp, &s);
    const Utf8Step step = DecodeUtf8(s, 0);
    EXPECT_EQ(step.kind, Utf8Step::kChar);
    EXPECT_EQ(step.length, s.size());
    EXPECT_EQ(step.code_point, cp);
  }
}

}  // namespace
}  // namespace hai::tokenizer
