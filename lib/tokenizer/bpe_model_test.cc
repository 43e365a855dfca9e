#include "lib/tokenizer/bpe_model.h"

#include <gtest/gtest.h>

#include <random>

namespace hai::tokenizer {
namespace {

std::unique_ptr<BpeModel> Build(std::unordered_map<std::string, int32_t> vocab,
                                std::vector<BpeModel::Merge> merges,
                                BpeModel::Options options = {}) {
  auto model = BpeModel::Build(std::move(vocab), merges, options);
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? std::move(model).value() : nullptr;
}

std::vector<int32_t> Encode(const BpeModel& model, std::string_view piece) {
  std::vector<int32_t> ids;
  model.EncodePiece(piece, &ids);
  return ids;
}

// a=0 b=1 c=2 aa=3 aaaa=4 ab=5 abc=6
std::unique_ptr<BpeModel> Letters() {
  return Build({{"a", 0}, {"b", 1}, {"c", 2}, {"aa", 3}, {"aaaa", 4}, {"ab", 5}, {"abc", 6}},
               {{"a", "a"}, {"aa", "aa"}, {"a", "b"}, {"ab", "c"}});
}

TEST(BpeModelTest, MergesByRankLeftmostFirst) {
  auto model = Letters();
  // a a a a a a a -> (a a) pairs from the left: aa aa aa a -> aaaa aa a.
  EXPECT_EQ(Encode(*model, "aaaaaaa"), (std::vector<int32_t>{4, 3, 0}));
  EXPECT_EQ(Encode(*model, "abc"), (std::vector<int32_t>{6}));
  // (a a) outranks (a b): a a b -> aa b.
  EXPECT_EQ(Encode(*model, "aab"), (std::vector<int32_t>{3, 1}));
  EXPECT_EQ(Encode(*model, "cab"), (std::vector<int32_t>{2, 5}));
  EXPECT_EQ(Encode(*model, "b"), (std::vector<int32_t>{1}));
}

TEST(BpeModelTest, LongPiecesMergeCompletely) {
  auto model = Letters();
  const std::vector<int32_t> ids = Encode(*model, std::string(100000, 'a'));
  EXPECT_EQ(ids, std::vector<int32_t>(25000, 4));
}

TEST(BpeModelTest, BytesWithoutATokenAreLeftOutOrUnknown) {
  auto model = Letters();
  EXPECT_EQ(Encode(*model, "axb"), (std::vector<int32_t>{5}));  // x dropped, a b then merge
  BpeModel::Options options;
  options.unk_id = 2;
  auto with_unk = Build({{"a", 0}, {"b", 1}, {"c", 2}}, {}, options);
  EXPECT_EQ(Encode(*with_unk, "axb"), (std::vector<int32_t>{0, 2, 1}));
}

TEST(BpeModelTest, IgnoreMergesTakesWholeVocabularyPieces) {
  std::unordered_map<std::string, int32_t> vocab{
      {"h", 0}, {"e", 1}, {"l", 2}, {"o", 3}, {"hello", 4}};
  auto plain = Build(vocab, {});
  EXPECT_EQ(Encode(*plain, "hello"), (std::vector<int32_t>{0, 1, 2, 2, 3}));
  BpeModel::Options options;
  options.ignore_merges = true;
  auto whole = Build(vocab, {}, options);
  EXPECT_EQ(Encode(*whole, "hello"), (std::vector<int32_t>{4}));
  EXPECT_EQ(Encode(*whole, "hell"), (std::vector<int32_t>{0, 1, 2, 2}));
}

TEST(BpeModelTest, CacheGivesTheSameAnswer) {
  auto model = Letters();
  const auto first = Encode(*model, "abcaab");
  EXPECT_EQ(Encode(*model, "abcaab"), first);
  EXPECT_EQ(first, (std::vector<int32_t>{6, 3, 1}));
}

TEST(BpeModelTest, BuildErrorsSayWhichEntry) {
  auto unknown = BpeModel::Build({{"a", 0}, {"b", 1}, {"ab", 2}}, {{"a", "q"}}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "merge 0 (a q): 'q' is not in the vocabulary");
  auto no_result = BpeModel::Build({{"a", 0}, {"b", 1}}, {{"a", "b"}}, {});
  ASSERT_FALSE(no_result.ok());
  EXPECT_EQ(no_result.status().message(),
            "merge 0 (a b): the result 'ab' is not in the vocabulary");
  auto duplicate = BpeModel::Build({{"a", 0}, {"b", 0}}, {}, {});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().message(), "vocab id 0 is used by both 'a' and 'b'");
}

// The textbook loop, rescanning for the best pair after every merge.
std::vector<std::string> NaiveBpe(const std::vector<BpeModel::Merge>& merges, std::string text) {
  std::vector<std::string> symbols;
  for (char c : text) symbols.emplace_back(1, c);
  for (;;) {
    size_t best_rank = merges.size();
    size_t best_pos = 0;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      for (size_t r = 0; r < best_rank; ++r) {
        if (merges[r].first == symbols[i] && merges[r].second == symbols[i + 1]) {
          best_rank = r;
          best_pos = i;
          break;
        }
      }
    }
    if (best_rank == merges.size()) return symbols;
    symbols[best_pos] += symbols[best_pos + 1];
    symbols.erase(symbols.begin() + static_cast<long>(best_pos) + 1);
  }
}

TEST(BpeModelTest, AgreesWithTheTextbookLoop) {
  const std::vector<BpeModel::Merge> merges = {{"a", "b"},   {"b", "a"},  {"ab", "a"},  {"a", "a"},
                                               {"ba", "b"},  {"aa", "b"}, {"ab", "ab"}, {"c", "a"},
                                               {"aab", "c"}, {"ca", "b"}, {"abab", "a"}};
  std::unordered_map<std::string, int32_t> vocab{{"a", 0}, {"b", 1}, {"c", 2}};
  for (const auto& [l, r] : merges) vocab.try_emplace(l + r, static_cast<int32_t>(vocab.size()));
  auto model = Build(vocab, merges);
  std::vector<std::string> by_id(vocab.size());
  for (const auto& [token, id] : vocab) by_id[id] = token;
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string text(1 + rng() % 40, 'a');
    for (char& c : text) c = "abc"[rng() % 3];
    std::vector<std::string> got;
    for (int32_t id : Encode(*model, text)) got.push_back(by_id[id]);
    EXPECT_EQ(got, NaiveBpe(merges, text)) << text;
  }
}

}  // namespace
}  // namespace hai::tokenizer
