#include "lib/tokenizer/added_tokens.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

struct Seg {
  std::string text;
  int32_t id;
  bool operator==(const Seg&) const = default;
};

std::vector<Seg> Split(const AddedTokenMatcher& m, std::string_view text, bool special = true) {
  std::vector<Seg> out;
  for (const TextSegment& s : m.Split(text, special))
    out.push_back({std::string(s.text), s.token_id});
  return out;
}

AddedToken Token(int32_t id, std::string content, bool special) {
  AddedToken t;
  t.id = id;
  t.content = std::move(content);
  t.special = special;
  return t;
}

TEST(AddedTokensTest, CutsAroundTokens) {
  AddedTokenMatcher m({Token(10, "<|im_start|>", true), Token(11, "<|im_end|>", true)});
  EXPECT_EQ(
      Split(m, "<|im_start|>user\nhi<|im_end|>\n"),
      (std::vector<Seg>{{"<|im_start|>", 10}, {"user\nhi", -1}, {"<|im_end|>", 11}, {"\n", -1}}));
  EXPECT_EQ(Split(m, "no tokens"), (std::vector<Seg>{{"no tokens", -1}}));
  EXPECT_EQ(Split(m, "<|im_end"), (std::vector<Seg>{{"<|im_end", -1}}));
  EXPECT_TRUE(Split(m, "").empty());
}

TEST(AddedTokensTest, LongestMatchAtTheLeftmostPlace) {
  AddedTokenMatcher m({Token(1, "<a>", true), Token(2, "<a><b>", true), Token(3, "b>", true)});
  EXPECT_EQ(Split(m, "x<a><b>y<a>"),
            (std::vector<Seg>{{"x", -1}, {"<a><b>", 2}, {"y", -1}, {"<a>", 1}}));
  // The leftmost start wins over a longer token starting later.
  EXPECT_EQ(Split(m, "<ab>"), (std::vector<Seg>{{"<a", -1}, {"b>", 3}}));
}

TEST(AddedTokensTest, SpecialTokensCanBeTreatedAsText) {
  AddedTokenMatcher m({Token(10, "<|im_end|>", true), Token(12, "<think>", false)});
  EXPECT_EQ(Split(m, "a<|im_end|><think>", false),
            (std::vector<Seg>{{"a<|im_end|>", -1}, {"<think>", 12}}));
}

TEST(AddedTokensTest, StripAndSingleWord) {
  AddedToken mask = Token(5, "<mask>", true);
  mask.lstrip = true;
  mask.rstrip = true;
  AddedToken word = Token(6, "cat", false);
  word.single_word = true;
  AddedTokenMatcher m({mask, word});
  EXPECT_EQ(Split(m, "a  <mask>  b"), (std::vector<Seg>{{"a", -1}, {"  <mask>  ", 5}, {"b", -1}}));
  EXPECT_EQ(Split(m, "a cat, concat cats"),
            (std::vector<Seg>{{"a ", -1}, {"cat", 6}, {", concat cats", -1}}));
}

TEST(AddedTokensTest, NonAsciiContent) {
  AddedTokenMatcher m({Token(7, "【结束】", true)});
  EXPECT_EQ(Split(m, "好【结束】"), (std::vector<Seg>{{"好", -1}, {"【结束】", 7}}));
}

}  // namespace
}  // namespace hai::tokenizer
