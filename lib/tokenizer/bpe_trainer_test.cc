#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "lib/tokenizer/tokenizer.h"

namespace hai::tokenizer {
namespace {

using nlohmann::json;

json Train(std::string_view corpus, int vocab_size, const std::vector<std::string>& specials) {
  auto text = TrainByteLevelBpe(corpus, vocab_size, specials);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? json::parse(*text) : json();
}

TEST(BpeTrainerTest, LearnsTheMostFrequentPairsByHand) {
  // Pieces: "ab", " ab" x2, " abc". Pairs: (a b) 4, (Ġ a) 3, (b c) 1.
  // 1: a b -> ab. Then (Ġ ab) 3, (ab c) 1. 2: Ġ ab. 3: Ġab c.
  const json doc = Train("ab ab ab abc", 259, {});
  EXPECT_EQ(doc["model"]["merges"], json({"a b", "Ġ ab", "Ġab c"}));
  EXPECT_EQ(doc["model"]["vocab"]["ab"], 256);
  EXPECT_EQ(doc["model"]["vocab"]["Ġab"], 257);
  EXPECT_EQ(doc["model"]["vocab"]["Ġabc"], 258);
  EXPECT_EQ(doc["model"]["vocab"]["a"], 97);  // byte tokens take their byte's id
  EXPECT_EQ(doc["model"]["vocab"]["Ġ"], 32);
}

TEST(BpeTrainerTest, TiesGoToThePairThatSortsFirst) {
  // Pieces "ba", " ab": (b a), (Ġ a), (a b) once each; " a" sorts first.
  // Then (b a) and (Ġa b) tie again: " a" < "b".
  const json doc = Train("ba ab", 259, {});
  EXPECT_EQ(doc["model"]["merges"], json({"Ġ a", "Ġa b", "b a"}));
}

TEST(BpeTrainerTest, SaysHowManyMergesTheCorpusAllows) {
  auto text = TrainByteLevelBpe("ab ab ab abc", 260, {});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "the corpus allows only 3 merges (vocab_size at most 259), 4 wanted");
  auto small = TrainByteLevelBpe("abc", 257, {"<a>", "<b>"});
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.status().message(), "vocab_size 257 is below 256 byte tokens + 2 special tokens");
  EXPECT_FALSE(TrainByteLevelBpe("abc", 300, {"<a>", "<a>"}).ok());
  EXPECT_FALSE(TrainByteLevelBpe("abc", 300, {""}).ok());
}

// About 20 KB of varied text: common words, made-up words built from
// syllables (so there are many distinct pieces), Chinese, numbers.
std::string Corpus() {
  const std::vector<std::string> words = {
      "the",       "patient", "reports",  "pain", "in",           "left", "arm",      "since",
      "yesterday", "blood",   "pressure", "is",   "normal",       "患者", "主诉",     "头痛",
      "发热",      "三天",    "，",       "。",   "mg",           "dose", "twice",    "daily",
      "history",   "of",      "diabetes", "and",  "hypertension", "no",   "allergies"};
  const std::vector<std::string> syllables = {"ka",  "ro",  "mi",  "tel", "sun", "dar", "po",
                                              "lin", "ve",  "qua", "zor", "fen", "gri", "hol",
                                              "jun", "bre", "sta", "nox", "ul",  "ter", "心",
                                              "肺",  "肝",  "肾",  "血",  "压",  "糖"};
  std::mt19937 rng(2024);
  std::string corpus;
  while (corpus.size() < 20000) {
    if (rng() % 2 == 0) {
      corpus += words[rng() % words.size()];
    } else {
      for (unsigned n = 1 + rng() % 4; n > 0; --n) corpus += syllables[rng() % syllables.size()];
    }
    const unsigned r = rng() % 10;
    if (r == 0) {
      corpus += '\n';
    } else if (r == 1) {
      corpus += ", ";
    } else if (r == 2) {
      corpus += ' ';
      corpus += std::to_string(rng() % 500);
      corpus += ' ';
    } else {
      corpus += ' ';
    }
  }
  return corpus;
}

TEST(BpeTrainerTest, DeterministicAndExactlySized) {
  const std::string corpus = Corpus();
  const std::vector<std::string> specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
  auto first = TrainByteLevelBpe(corpus, 600, specials);
  auto second = TrainByteLevelBpe(corpus, 600, specials);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  auto tok = Tokenizer::FromJson(*first, "trained.json");
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  EXPECT_EQ(tok.value()->vocab_size(), 600);
  EXPECT_EQ(tok.value()->TokenId("<|endoftext|>"), 597);
  EXPECT_EQ(tok.value()->TokenId("<|im_end|>"), 599);
  EXPECT_TRUE(tok.value()->IsSpecial(598));
  const json doc = json::parse(*first);
  EXPECT_EQ(doc["model"]["vocab"].size(), 597u);
  EXPECT_EQ(doc["pre_tokenizer"]["pretokenizers"][0]["behavior"], "Isolated");
}

TEST(BpeTrainerTest, TrainedTokenizerRoundTripsAndCompresses) {
  const std::string corpus = Corpus();
  auto text = TrainByteLevelBpe(corpus, 1000, {"<|im_end|>"});
  ASSERT_TRUE(text.ok()) << text.status().message();
  auto tok = Tokenizer::FromJson(*text, "trained.json");
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  const Tokenizer& t = *tok.value();
  for (const std::string& s :
       {std::string("the patient reports pain"), std::string("患者主诉头痛三天。"),
        std::string("unseen words: zebra 🦓 Ωmega\t42"), corpus.substr(0, 3000)}) {
    EXPECT_EQ(t.Decode(t.Encode(s)), s);
  }
  // Frequent words became single tokens.
  EXPECT_EQ(t.Encode(" patient").size(), 1u);
  EXPECT_EQ(t.Encode("患者").size(), 1u);
  EXPECT_LT(t.Encode(corpus).size(), corpus.size() / 3);
  EXPECT_EQ(t.Encode("a<|im_end|>").back(), 999);
}

TEST(BpeTrainerTest, LargeVocabularyRunsOutOfPairsWithAClearError) {
  auto text = TrainByteLevelBpe(Corpus(), 32000, {});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("the corpus allows only"), std::string::npos);
}

}  // namespace
}  // namespace hai::tokenizer
