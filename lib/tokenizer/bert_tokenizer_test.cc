#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lib/tokenizer/tokenizer.h"

namespace hai::tokenizer {
namespace {

using Ids = std::vector<int32_t>;
using nlohmann::json;

// A BERT-style tokenizer.json, shaped like the uncased embedding models'.
json BertDoc() {
  json vocab = json::object();
  const std::vector<std::string> tokens = {
      "[PAD]",  "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "patient", "##s", "has", "a", "head",
      "##ache", ".",     ",",     "患",    "者",     "头",  "痛",      "don", "'",   "t", "cafe"};
  for (size_t i = 0; i < tokens.size(); ++i) vocab[tokens[i]] = i;
  json added = json::array();
  for (int id = 0; id < 5; ++id) {
    added.push_back({{"id", id},
                     {"content", tokens[id]},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  return {{"version", "1.0"},
          {"added_tokens", added},
          {"normalizer",
           {{"type", "BertNormalizer"},
            {"clean_text", true},
            {"handle_chinese_chars", true},
            {"strip_accents", nullptr},
            {"lowercase", true}}},
          {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
          {"post_processor",
           {{"type", "TemplateProcessing"},
            {"single",
             {{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
              {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
              {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 0}}}}}}}},
          {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
          {"model",
           {{"type", "WordPiece"},
            {"unk_token", "[UNK]"},
            {"continuing_subword_prefix", "##"},
            {"max_input_chars_per_word", 100},
            {"vocab", vocab}}}};
}

std::unique_ptr<Tokenizer> Bert() {
  auto tok = Tokenizer::FromJson(BertDoc().dump(), "bert/tokenizer.json");
  EXPECT_TRUE(tok.ok()) << tok.status().message();
  return tok.ok() ? std::move(tok).value() : nullptr;
}

TEST(BertTokenizerTest, EncodesByHand) {
  auto tok = Bert();
  ASSERT_NE(tok, nullptr);
  // the | patient ##s | have: [UNK] | a | head ##ache | .
  EXPECT_EQ(tok->Encode("The patients have a HEADACHE."), (Ids{5, 6, 7, 1, 9, 10, 11, 12}));
  EXPECT_EQ(tok->Encode("患者头痛"), (Ids{14, 15, 16, 17}));
  EXPECT_EQ(tok->Encode("Don't"), (Ids{18, 19, 20}));
  EXPECT_EQ(tok->Encode("  Café  "), (Ids{21}));
  EXPECT_EQ(tok->Encode("[CLS] the [SEP]"), (Ids{2, 5, 3}));
  EXPECT_EQ(tok->Encode("[CLS]", /*special=*/false), (Ids{1, 1, 1}));  // "[" "cls" "]"
}

TEST(BertTokenizerTest, DecodesLikeHuggingFace) {
  auto tok = Bert();
  EXPECT_EQ(tok->Decode(Ids{2, 5, 6, 7, 12, 3}, /*skip_special=*/true), "the patients.");
  EXPECT_EQ(tok->Decode(Ids{2, 5, 6, 7, 12, 3}), "[CLS] the patients. [SEP]");
  EXPECT_EQ(tok->Decode(Ids{18, 19, 20}), "don't");
  EXPECT_EQ(tok->TokenText(7), "s");
  EXPECT_EQ(tok->TokenId("##ache"), 11);
  EXPECT_EQ(tok->vocab_size(), 22);
  EXPECT_TRUE(tok->IsSpecial(2));
}

TEST(BertTokenizerTest, MismatchedPartsAreErrors) {
  json doc = BertDoc();
  doc["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}};
  auto tok = Tokenizer::FromJson(doc.dump(), "bert/tokenizer.json");
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().message(),
            "bert/tokenizer.json: pre_tokenizer ByteLevel does not fit a WordPiece model");
  doc = BertDoc();
  doc["model"]["vocab"].erase("[UNK]");
  doc["added_tokens"].erase(1);
  tok = Tokenizer::FromJson(doc.dump(), "bert/tokenizer.json");
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().message(),
            "bert/tokenizer.json: model: unk_token '[UNK]' is not in the vocabulary");
  doc = BertDoc();
  doc["decoder"] = {{"type", "ByteLevel"}};
  tok = Tokenizer::FromJson(doc.dump(), "bert/tokenizer.json");
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().message(),
            "bert/tokenizer.json: decoder type 'ByteLevel' is not supported (only WordPiece with "
            "this model)");
}

}  // namespace
}  // namespace hai::tokenizer
