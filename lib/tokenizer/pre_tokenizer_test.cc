#include "lib/tokenizer/pre_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hai::tokenizer {
namespace {

using Pieces = std::vector<std::string>;

Pieces Split(std::string_view pattern, std::string_view text) {
  auto pre = MakeRegexPreTokenizer(pattern);
  EXPECT_TRUE(pre.ok()) << pre.status().message();
  Pieces out;
  for (std::string_view p : pre->Split(text)) out.emplace_back(p);
  return out;
}

Pieces Qwen2(std::string_view text) { return Split(kQwen2Pattern, text); }
Pieces Llama3(std::string_view text) { return Split(kLlama3Pattern, text); }

TEST(PreTokenizerTest, EnglishContractionsAndPunctuation) {
  EXPECT_EQ(Qwen2("I'm here, it's fine!"),
            (Pieces{"I", "'m", " here", ",", " it", "'s", " fine", "!"}));
  // The contractions are matched without regard to case.
  EXPECT_EQ(Qwen2("DON'T WE'LL"), (Pieces{"DON", "'T", " WE", "'LL"}));
  EXPECT_EQ(Llama3("they're"), (Pieces{"they", "'re"}));
  // Punctuation keeps the newlines that follow it.
  EXPECT_EQ(Qwen2("end.\n\nNext"), (Pieces{"end", ".\n\n", "Next"}));
}

TEST(PreTokenizerTest, Qwen2SplitsDigitsOneByOne) {
  EXPECT_EQ(Qwen2("it's 12345 dollars"),
            (Pieces{"it", "'s", " ", "1", "2", "3", "4", "5", " dollars"}));
  EXPECT_EQ(Qwen2("abc123def"), (Pieces{"abc", "1", "2", "3", "def"}));
}

TEST(PreTokenizerTest, Llama3GroupsUpToThreeDigits) {
  EXPECT_EQ(Llama3("it's 12345 dollars"), (Pieces{"it", "'s", " ", "123", "45", " dollars"}));
  EXPECT_EQ(Llama3("1234567"), (Pieces{"123", "456", "7"}));
  // Other scripts' digits are \p{N} too.
  EXPECT_EQ(Llama3("٣٤"), (Pieces{"٣٤"}));
}

TEST(PreTokenizerTest, WhitespaceRunsLeaveTheLastSpaceToTheWord) {
  EXPECT_EQ(Qwen2("a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(Qwen2("a  "), (Pieces{"a", "  "}));
  EXPECT_EQ(Qwen2("hello\n  world"), (Pieces{"hello", "\n", " ", " world"}));
  EXPECT_EQ(Qwen2("a\n\nb"), (Pieces{"a", "\n\n", "b"}));
  EXPECT_EQ(Qwen2("\t\tx"), (Pieces{"\t", "\tx"}));
}

TEST(PreTokenizerTest, ChineseIsLettersAndFullWidthPunctuationLeadsAWord) {
  EXPECT_EQ(Qwen2("你好世界"), (Pieces{"你好世界"}));
  EXPECT_EQ(Qwen2("你好，世界。"), (Pieces{"你好", "，世界", "。"}));
  EXPECT_EQ(Qwen2("患者3天"), (Pieces{"患者", "3", "天"}));
}

TEST(PreTokenizerTest, EmojiAreSymbols) {
  // ❤️ is U+2764 U+FE0F (a symbol and a mark): neither letter nor number.
  EXPECT_EQ(Qwen2("I ❤️ 🍕!"), (Pieces{"I", " ❤️", " 🍕!"}));
}

TEST(PreTokenizerTest, MixedText) {
  EXPECT_EQ(Qwen2("Dose: 2.5mg, q8h\n"),
            (Pieces{"Dose", ":", " ", "2", ".", "5", "mg", ",", " q", "8", "h", "\n"}));
  EXPECT_EQ(Llama3("Dose: 2.5mg"), (Pieces{"Dose", ":", " ", "2", ".", "5", "mg"}));
}

TEST(PreTokenizerTest, Gpt2PatternKeepsSpacesOnNumbers) {
  EXPECT_EQ(Split(kGpt2Pattern, "Hello world  123's"),
            (Pieces{"Hello", " world", " ", " 123", "'s"}));
}

TEST(PreTokenizerTest, PiecesCoverTheText) {
  const std::string text = "Mixed 文本 with numbers 42, emoji 🙂 and\ttabs\r\n  end ";
  std::string joined;
  for (const std::string& p : Qwen2(text)) joined += p;
  EXPECT_EQ(joined, text);
}

TEST(PreTokenizerTest, LongRunsDoNotStopTheMatcher) {
  const std::string spaces(200000, ' ');
  const Pieces pieces = Qwen2("a" + spaces + "b");
  EXPECT_EQ(pieces, (Pieces{"a", spaces.substr(1), " b"}));
  const std::string letters(200000, 'x');
  EXPECT_EQ(Qwen2(letters), (Pieces{letters}));
}

Pieces SplitWith(SplitBehavior behavior, bool invert, std::string_view pattern,
                 std::string_view text) {
  auto regex = Regex::Compile(pattern);
  EXPECT_TRUE(regex.ok());
  std::vector<SplitRule> rules;
  rules.push_back({std::move(regex).value(), behavior, invert});
  PreTokenizer pre(std::move(rules));
  Pieces out;
  for (std::string_view p : pre.Split(text)) out.emplace_back(p);
  return out;
}

TEST(PreTokenizerTest, SplitBehaviors) {
  const std::string text = "a-b--c";
  EXPECT_EQ(SplitWith(SplitBehavior::kIsolated, false, "-", text),
            (Pieces{"a", "-", "b", "-", "-", "c"}));
  EXPECT_EQ(SplitWith(SplitBehavior::kRemoved, false, "-", text), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(SplitWith(SplitBehavior::kMergedWithPrevious, false, "-", text),
            (Pieces{"a-", "b-", "-", "c"}));
  EXPECT_EQ(SplitWith(SplitBehavior::kMergedWithNext, false, "-", text),
            (Pieces{"a", "-b", "-", "-c"}));
  EXPECT_EQ(SplitWith(SplitBehavior::kContiguous, false, "-", text),
            (Pieces{"a", "-", "b", "--", "c"}));
  // Inverted: the matches are what is kept.
  EXPECT_EQ(SplitWith(SplitBehavior::kRemoved, true, "\\w+", "one, two  three"),
            (Pieces{"one", "two", "three"}));
}

TEST(PreTokenizerTest, RulesApplyInOrder) {
  auto spaces = Regex::Compile("\\s+");
  auto digits = Regex::Compile("\\p{N}");
  ASSERT_TRUE(spaces.ok() && digits.ok());
  std::vector<SplitRule> rules;
  rules.push_back({std::move(spaces).value(), SplitBehavior::kRemoved, false});
  rules.push_back({std::move(digits).value(), SplitBehavior::kIsolated, false});
  PreTokenizer pre(std::move(rules));
  Pieces out;
  for (std::string_view p : pre.Split("ab12 c3")) out.emplace_back(p);
  EXPECT_EQ(out, (Pieces{"ab", "1", "2", "c", "3"}));
}

TEST(PreTokenizerTest, NoRulesKeepTheTextWhole) {
  PreTokenizer pre;
  EXPECT_EQ(pre.Split("a b").size(), 1u);
  EXPECT_TRUE(pre.Split("").empty());
}

TEST(PreTokenizerTest, BadPatternIsAnError) {
  auto pre = MakeRegexPreTokenizer("(unclosed");
  ASSERT_FALSE(pre.ok());
  EXPECT_NE(pre.status().message().find("does not compile"), std::string::npos);
}

}  // namespace
}  // namespace hai::tokenizer
