#include "lib/tokenizer/wordpiece_model.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

using Ids = std::vector<int32_t>;

std::unique_ptr<WordPieceModel> Model(WordPieceModel::Options options = {}) {
  auto model = WordPieceModel::Build({{"[UNK]", 0},
                                      {"un", 1},
                                      {"##aff", 2},
                                      {"##able", 3},
                                      {"play", 4},
                                      {"##ing", 5},
                                      {"##s", 6},
                                      {"a", 7},
                                      {"中", 8},
                                      {"##a", 9}},
                                     options);
  EXPECT_TRUE(model.ok()) << model.status().message();
  return std::move(model).value();
}

Ids Encode(const WordPieceModel& model, std::string_view word) {
  Ids ids;
  model.EncodePiece(word, &ids);
  return ids;
}

TEST(WordPieceModelTest, LongestPiecesFirst) {
  auto model = Model();
  EXPECT_EQ(Encode(*model, "unaffable"), (Ids{1, 2, 3}));
  EXPECT_EQ(Encode(*model, "playing"), (Ids{4, 5}));
  EXPECT_EQ(Encode(*model, "plays"), (Ids{4, 6}));
  EXPECT_EQ(Encode(*model, "aaa"), (Ids{7, 9, 9}));
  EXPECT_EQ(Encode(*model, "中"), (Ids{8}));
  EXPECT_TRUE(Encode(*model, "").empty());
}

TEST(WordPieceModelTest, AnUncoverableWordIsOneUnknown) {
  auto model = Model();
  EXPECT_EQ(Encode(*model, "unplay"), (Ids{0}));  // no "##play"
  EXPECT_EQ(Encode(*model, "xyz"), (Ids{0}));
  EXPECT_EQ(Encode(*model, std::string(101, 'a')), (Ids{0}));  // too long
  WordPieceModel::Options short_words;
  short_words.max_input_chars_per_word = 5;
  EXPECT_EQ(Encode(*Model(short_words), "playing"), (Ids{0}));
  EXPECT_EQ(Encode(*Model(short_words), "plays"), (Ids{4, 6}));
}

TEST(WordPieceModelTest, NeedsItsUnknownToken) {
  auto model = WordPieceModel::Build({{"a", 0}}, {});
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().message(), "unk_token '[UNK]' is not in the vocabulary");
}

TEST(WordPieceModelTest, JoinsPiecesBack) {
  EXPECT_EQ(JoinWordPieces({"un", "##aff", "##able", "is", "fun", "."}, "##", true),
            "unaffable is fun.");
  EXPECT_EQ(JoinWordPieces({"un", "##aff", "##able", "is", "fun", "."}, "##", false),
            "unaffable is fun .");
  EXPECT_EQ(JoinWordPieces({"don", "'", "t", "stop", ",", "ok", "?"}, "##", true),
            "don't stop, ok?");
  EXPECT_EQ(JoinWordPieces({}, "##", true), "");
}

}  // namespace
}  // namespace hai::tokenizer
