#include "lib/tokenizer/tokenizer_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lib/tokenizer/tokenizer.h"
#include "lib/tokenizer/tokenizer_testdata.h"

namespace hai::tokenizer {
namespace {

using nlohmann::json;

constexpr const char* kFile = "models/tiny/tokenizer.json";

json TinyDoc() { return json::parse(kTinyTokenizerJson); }

// The error message of loading `doc`, which must fail.
std::string ErrorOfText(const std::string& text) {
  auto tok = Tokenizer::FromJson(text, kFile);
  EXPECT_FALSE(tok.ok());
  if (tok.ok()) return "";
  EXPECT_EQ(tok.status().code(), Code::kInvalidArgument);
  return tok.status().message();
}
std::string ErrorOf(const json& doc) { return ErrorOfText(doc.dump()); }

std::string In(const std::string& what) { return std::string(kFile) + ": " + what; }

TEST(TokenizerJsonTest, LoadsTheTinyFile) {
  auto parts = ParseTokenizerJson(kTinyTokenizerJson, kFile);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  EXPECT_EQ(parts->kind, ModelKind::kByteLevelBpe);
  EXPECT_EQ(parts->model->max_id(), 43);
  EXPECT_EQ(parts->normalizer, nullptr);
  EXPECT_TRUE(parts->nfc);
  EXPECT_EQ(parts->added_tokens.size(), 3u);
  EXPECT_EQ(parts->pre_tokenizer.rule_count(), 1u);  // ByteLevel without its regex adds none
  EXPECT_FALSE(parts->add_prefix_space);
}

TEST(TokenizerJsonTest, MalformedFiles) {
  EXPECT_EQ(ErrorOfText("{not json"), In("not valid JSON"));
  EXPECT_EQ(ErrorOfText("[1, 2]"), In("not a JSON object"));
  json doc = TinyDoc();
  doc.erase("model");
  EXPECT_EQ(ErrorOf(doc), In("model is missing"));
  doc = TinyDoc();
  doc["model"].erase("vocab");
  EXPECT_EQ(ErrorOf(doc), In("model.vocab is missing"));
  doc = TinyDoc();
  doc["model"].erase("merges");
  EXPECT_EQ(ErrorOf(doc), In("model.merges is missing"));
  doc = TinyDoc();
  doc["model"]["vocab"]["h"] = "zero";
  EXPECT_EQ(ErrorOf(doc), In("model.vocab 'h' must have an id between 0 and 2^31-1"));
  doc = TinyDoc();
  doc["added_tokens"][0].erase("content");
  EXPECT_EQ(ErrorOf(doc), In("added_tokens[0].content is missing"));
  doc = TinyDoc();
  doc["added_tokens"][1]["special"] = "yes";
  EXPECT_EQ(ErrorOf(doc), In("added_tokens[1].special must be true or false"));
}

TEST(TokenizerJsonTest, MergesMustNameKnownTokens) {
  json doc = TinyDoc();
  doc["model"]["merges"].push_back("q z");
  EXPECT_EQ(ErrorOf(doc), In("model: merge 16 (q z): 'q' is not in the vocabulary"));
  doc = TinyDoc();
  doc["model"]["merges"].push_back("h o");
  EXPECT_EQ(ErrorOf(doc), In("model: merge 16 (h o): the result 'ho' is not in the vocabulary"));
  doc = TinyDoc();
  doc["model"]["merges"].push_back("h e l");
  EXPECT_EQ(ErrorOf(doc), In("model.merges[16] 'h e l' is not two tokens"));
}

TEST(TokenizerJsonTest, MergesMayBePairs) {
  json doc = TinyDoc();
  json pairs = json::array();
  for (const json& m : doc["model"]["merges"]) {
    const std::string text = m.get<std::string>();
    pairs.push_back({text.substr(0, text.find(' ')), text.substr(text.find(' ') + 1)});
  }
  doc["model"]["merges"] = pairs;
  auto tok = Tokenizer::FromJson(doc.dump(), kFile);
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  EXPECT_EQ(tok.value()->Encode("hello world!"), (std::vector<int32_t>{31, 36, 8}));
}

TEST(TokenizerJsonTest, DuplicateIds) {
  json doc = TinyDoc();
  doc["model"]["vocab"]["z"] = 3;  // "o" has 3
  EXPECT_EQ(ErrorOf(doc), In("model: vocab id 3 is used by both 'o' and 'z'"));
  doc = TinyDoc();
  doc["model"]["vocab"]["z"] = 2000000000;
  EXPECT_EQ(ErrorOf(doc), In("model: vocab entry 'z' has id 2000000000, outside 0..16777215"));
  doc = TinyDoc();
  doc["added_tokens"][0]["id"] = 2000000000;
  EXPECT_EQ(ErrorOf(doc), In("added_tokens[0].id 2000000000 is above 16777215"));
  doc = TinyDoc();
  doc["added_tokens"][1]["id"] = 44;
  EXPECT_EQ(ErrorOf(doc), In("added_tokens[1].id 44 is used by an earlier added token"));
  doc = TinyDoc();
  doc["added_tokens"][2]["id"] = 31;
  EXPECT_EQ(ErrorOf(doc), In("added_tokens[2].id 31 is already model.vocab's 'hello'"));
  // Restating a vocabulary entry as an added token is fine (GPT-2 does).
  doc = TinyDoc();
  doc["added_tokens"].push_back({{"id", 8}, {"content", "!"}, {"special", true}});
  EXPECT_TRUE(Tokenizer::FromJson(doc.dump(), kFile).ok());
}

TEST(TokenizerJsonTest, UnsupportedModelsAreNamed) {
  json doc = TinyDoc();
  doc["model"]["type"] = "Unigram";
  EXPECT_EQ(ErrorOf(doc),
            In("model.type 'Unigram' is not supported (only byte-level BPE and WordPiece)"));
  doc = TinyDoc();
  doc["model"]["byte_fallback"] = true;
  EXPECT_EQ(ErrorOf(doc), In("model.byte_fallback (SentencePiece-style BPE) is not supported"));
  doc = TinyDoc();
  doc["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "▁"}};
  EXPECT_EQ(ErrorOf(doc), In("pre_tokenizer type 'Metaspace' is not supported"));
  doc = TinyDoc();
  doc["normalizer"] = {{"type", "Lowercase"}};
  EXPECT_EQ(ErrorOf(doc), In("normalizer type 'Lowercase' is not supported"));
  doc = TinyDoc();
  doc["decoder"] = {{"type", "WordPiece"}};
  EXPECT_EQ(ErrorOf(doc),
            In("decoder type 'WordPiece' is not supported (only ByteLevel with this model)"));
  doc = TinyDoc();
  doc["normalizer"] = {{"type", "BertNormalizer"}, {"lowercase", true}};
  EXPECT_EQ(ErrorOf(doc), In("normalizer BertNormalizer needs a WordPiece model"));
  doc = TinyDoc();
  doc["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed";
  EXPECT_EQ(ErrorOf(doc).rfind(In("pre_tokenizer.pretokenizers[0]: regular expression does not "
                                  "compile"),
                               0),
            0u);
  doc = TinyDoc();
  doc["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Sideways";
  EXPECT_EQ(ErrorOf(doc),
            In("pre_tokenizer.pretokenizers[0].behavior 'Sideways' is not a split behavior"));
  doc = TinyDoc();
  doc["pre_tokenizer"] = nullptr;
  doc["decoder"] = nullptr;
  EXPECT_EQ(ErrorOf(doc), In("neither pre_tokenizer nor decoder is ByteLevel (only byte-level "
                             "BPE is supported)"));
}

TEST(TokenizerJsonTest, AcceptsWhatCheckpointsWrite) {
  json doc = TinyDoc();
  // Llama-3's post-processor adds BOS; it is read past.
  doc["post_processor"] = {
      {"type", "Sequence"},
      {"processors",
       {{{"type", "ByteLevel"}, {"add_prefix_space", true}},
        {{"type", "TemplateProcessing"},
         {"single", {{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}}}}}}}};
  doc["normalizer"] = nullptr;
  doc["model"]["ignore_merges"] = true;
  doc["model"].erase("type");  // older files
  auto tok = Tokenizer::FromJson(doc.dump(), kFile);
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  EXPECT_EQ(tok.value()->Encode("hello"), (std::vector<int32_t>{31}));
}

TEST(TokenizerJsonTest, PlainByteLevelUsesTheGpt2Pattern) {
  json doc = TinyDoc();
  doc["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}};
  auto tok = Tokenizer::FromJson(doc.dump(), kFile);
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  // GPT-2 keeps digits together: "12" is one piece, with no merge: 1 2.
  EXPECT_EQ(tok.value()->Encode("hello 12"), (std::vector<int32_t>{31, 4, 12, 13}));
  doc["pre_tokenizer"]["add_prefix_space"] = true;
  tok = Tokenizer::FromJson(doc.dump(), kFile);
  ASSERT_TRUE(tok.ok());
  EXPECT_EQ(tok.value()->Encode("world"), (std::vector<int32_t>{36}));
}

TEST(TokenizerJsonTest, LoadReadsAFileAndNamesAMissingOne) {
  auto missing = Tokenizer::Load("/nonexistent/dir/tokenizer.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "/nonexistent/dir/tokenizer.json: cannot be read");
  char path[] = "/tmp/hai_tokenizer_testXXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << kTinyTokenizerJson;
  auto tok = Tokenizer::Load(path);
  std::remove(path);
  ASSERT_TRUE(tok.ok()) << tok.status().message();
  EXPECT_EQ(tok.value()->vocab_size(), 47);
}

}  // namespace
}  // namespace hai::tokenizer
