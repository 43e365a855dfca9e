#include "lib/tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "lib/tokenizer/byte_level.h"
#include "lib/tokenizer/pre_tokenizer.h"
#include "lib/tokenizer/tokenizer_testdata.h"
#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

using Ids = std::vector<int32_t>;

std::unique_ptr<Tokenizer> Tiny() {
  auto tok = Tokenizer::FromJson(kTinyTokenizerJson, "tiny/tokenizer.json");
  EXPECT_TRUE(tok.ok()) << tok.status().message();
  return tok.ok() ? std::move(tok).value() : nullptr;
}

TEST(TokenizerTest, EncodesEnglishByHand) {
  auto tok = Tiny();
  ASSERT_NE(tok, nullptr);
  // "hello" | " world" | "!"
  EXPECT_EQ(tok->Encode("hello world!"), (Ids{31, 36, 8}));
  EXPECT_EQ(tok->Encode("hello's"), (Ids{31, 41}));
  EXPECT_EQ(tok->Encode("hell"), (Ids{30}));
  // No merge applies to h o, o l or l d.
  EXPECT_EQ(tok->Encode("hold"), (Ids{0, 3, 2, 7}));
  // "hello" | "\n" | "world": without the space only (o r) merges.
  EXPECT_EQ(tok->Encode("hello\nworld"), (Ids{31, 27, 5, 33, 2, 7}));
  // Qwen2 splits digits: "1" | "2" | "21".
  EXPECT_EQ(tok->Encode("1221"), (Ids{12, 13, 13, 12}));
  EXPECT_TRUE(tok->Encode("").empty());
}

TEST(TokenizerTest, EncodesChineseByHand) {
  auto tok = Tiny();
  // 你好 is one piece: ä ½ ł å ¥ ½ -> ä½ ł .. -> ä½ł å¥ ½ -> ä½ł å¥½.
  EXPECT_EQ(tok->Encode("你好"), (Ids{38, 40}));
  EXPECT_EQ(tok->Encode("你好你"), (Ids{38, 40, 38}));
  EXPECT_EQ(tok->Decode(Ids{38, 40}), "你好");
}

TEST(TokenizerTest, SpecialTokensInText) {
  auto tok = Tiny();
  const std::string text = "<|im_start|>hello<|im_end|>";
  EXPECT_EQ(tok->Encode(text, /*special=*/true), (Ids{44, 31, 45}));
  // As plain text: "<|" "im" "_start" "|>" "hello" "<|" "im" "_end" "|>"
  EXPECT_EQ(tok->Encode(text, /*special=*/false),
            (Ids{42, 22, 23, 24, 10, 11, 26, 6, 11, 43, 31, 42, 22, 23, 24, 1, 25, 7, 43}));
  EXPECT_EQ(tok->Decode(tok->Encode(text, false)), text);
  // A non-special added token is recognised either way.
  EXPECT_EQ(tok->Encode("<think>hello", false), (Ids{46, 31}));
}

TEST(TokenizerTest, DecodeSkipsOnlySpecialTokens) {
  auto tok = Tiny();
  EXPECT_EQ(tok->Decode(Ids{44, 31, 45}), "<|im_start|>hello<|im_end|>");
  EXPECT_EQ(tok->Decode(Ids{44, 31, 45}, /*skip_special=*/true), "hello");
  EXPECT_EQ(tok->Decode(Ids{46, 31}, true), "<think>hello");
  // Unknown ids are left out.
  EXPECT_EQ(tok->Decode(Ids{31, -1, 47, 1000}), "hello");
  // Half a character decodes to U+FFFD.
  EXPECT_EQ(tok->Decode(Ids{37}), "\xEF\xBF\xBD");
}

TEST(TokenizerTest, Lookups) {
  auto tok = Tiny();
  EXPECT_EQ(tok->vocab_size(), 47);
  EXPECT_EQ(tok->TokenId("<|im_end|>"), 45);
  EXPECT_EQ(tok->TokenId("Ġworld"), 36);
  EXPECT_FALSE(tok->TokenId(" world").has_value());
  EXPECT_EQ(tok->TokenText(36), " world");
  EXPECT_EQ(tok->TokenText(14), "\xE4");
  EXPECT_EQ(tok->TokenText(45), "<|im_end|>");
  EXPECT_EQ(tok->TokenText(99), "");
  EXPECT_TRUE(tok->IsSpecial(44));
  EXPECT_FALSE(tok->IsSpecial(46));
  EXPECT_FALSE(tok->IsSpecial(31));
  EXPECT_FALSE(tok->IsSpecial(-3));
}

// Every byte, a few merges and the Qwen2 pre-tokenizer: any text survives.
std::unique_ptr<Tokenizer> AllBytes(bool nfc = false) {
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b)
    vocab[std::string(alphabet.Utf8For(static_cast<unsigned char>(b)))] = b;
  nlohmann::json merges = nlohmann::json::array();
  for (const auto& [left, right] : std::vector<std::pair<std::string, std::string>>{
           {"t", "h"}, {"th", "e"}, {"Ġ", "th"}, {"ä", "½"}, {"Ġ", "Ġ"}}) {
    vocab[left + right] = vocab.size();
    merges.push_back(left + " " + right);
  }
  const nlohmann::json doc = {
      {"added_tokens", {{{"id", 300}, {"content", "<|endoftext|>"}, {"special", true}}}},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Split"}, {"pattern", {{"Regex", kQwen2Pattern}}}, {"behavior", "Isolated"}},
          {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
  nlohmann::json with = doc;
  if (nfc) with["normalizer"] = {{"type", "NFC"}};
  auto tok = Tokenizer::FromJson(with.dump(), "all_bytes.json");
  EXPECT_TRUE(tok.ok()) << tok.status().message();
  return tok.ok() ? std::move(tok).value() : nullptr;
}

TEST(TokenizerTest, RoundTripsVariedText) {
  auto tok = AllBytes();
  ASSERT_NE(tok, nullptr);
  const std::vector<std::string> texts = {
      "the theory of the thing",          "  leading and trailing  ",
      "tabs\tand\r\nnewlines\n\n\n",      "患者主诉：头痛3天，伴恶心。",
      "Ünïcödé façade — “quotes” … ½",    "emoji 👩‍⚕️🏥 and flags 🇨🇳",
      "mixed 中文 English 12345 ٣٤٥ 𝔘𝔫𝔦", "<|endoftext|> inside text <|endoftext|>",
      std::string("nul\0byte", 8),
  };
  for (const std::string& text : texts) EXPECT_EQ(tok->Decode(tok->Encode(text)), text) << text;
  EXPECT_EQ(tok->Encode("<|endoftext|>"), (Ids{300}));
  EXPECT_EQ(tok->Encode("the"), (Ids{257}));
  // t h e merge before Ġ could join t h: Ġ + the, and (Ġ th) never applies.
  EXPECT_EQ(tok->Encode(" the"), (Ids{32, 257}));
}

TEST(TokenizerTest, AnNfcNormalizerComposesFirst) {
  const std::string composed = "caf\xC3\xA9";       // café
  const std::string decomposed = "cafe\xCC\x81";    // cafe + U+0301
  auto plain = AllBytes();
  auto nfc = AllBytes(true);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(nfc, nullptr);
  EXPECT_NE(plain->Encode(decomposed), plain->Encode(composed));
  EXPECT_EQ(nfc->Encode(decomposed), nfc->Encode(composed));
  EXPECT_EQ(nfc->Decode(nfc->Encode(decomposed)), composed);
  EXPECT_EQ(nfc->Encode("患者 <|endoftext|>"), plain->Encode("患者 <|endoftext|>"));
}

TEST(TokenizerTest, InvalidUtf8BecomesReplacementCharacters) {
  auto tok = AllBytes();
  // Documented: invalid sequences are replaced by U+FFFD before splitting.
  const std::string bad = "ok\xFF\xFE then \xE4\xB8 cut \xC3";
  EXPECT_EQ(tok->Decode(tok->Encode(bad)),
            "ok\xEF\xBF\xBD\xEF\xBF\xBD then \xEF\xBF\xBD cut \xEF\xBF\xBD");
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string noise(rng() % 64, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    const std::string decoded = tok->Decode(tok->Encode(noise));
    EXPECT_EQ(decoded, ReplaceInvalidUtf8(noise));
  }
}

TEST(TokenizerTest, SharedAcrossThreads) {
  auto tok = AllBytes();
  const std::string text = "the same text, encoded by many threads at once: 你好 the end";
  const Ids expected = tok->Encode(text);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (tok->Encode(text) != expected) ++mismatches[t];
        const std::string varied = text + std::to_string(i * (t + 1));
        if (tok->Decode(tok->Encode(varied)) != varied) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace hai::tokenizer
