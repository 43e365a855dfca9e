#include <gtest/gtest.h>

#include "lib/tokenizer/tokenizer.h"
#include "lib/tokenizer/tokenizer_testdata.h"
#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

// Ids of the tiny tokenizer (see tokenizer_testdata.h): single bytes of 你
// (E4 BD A0) and 好 (E5 A5 BD), and whole words.
constexpr int32_t kE4 = 14, kBD = 15, kA0 = 16, kE5 = 17, kA5 = 18;
constexpr int32_t kHello = 31, kSpaceWorld = 36, kImStart = 44, kImEnd = 45;

std::unique_ptr<Tokenizer> Tiny() {
  auto tok = Tokenizer::FromJson(kTinyTokenizerJson, "tiny/tokenizer.json");
  EXPECT_TRUE(tok.ok());
  return std::move(tok).value();
}

TEST(StreamDecoderTest, HoldsBackCharactersCutBetweenTokens) {
  auto tok = Tiny();
  StreamDecoder stream(tok.get());
  EXPECT_EQ(stream.Push(kHello), "hello");
  EXPECT_EQ(stream.Push(kE4), "");
  EXPECT_EQ(stream.Push(kBD), "");
  EXPECT_EQ(stream.Push(kA0), "你");
  EXPECT_EQ(stream.Push(kE5), "");
  EXPECT_EQ(stream.Push(kA5), "");
  EXPECT_EQ(stream.Push(kBD), "好");
  EXPECT_EQ(stream.Push(kSpaceWorld), " world");
  EXPECT_EQ(stream.Flush(), "");
}

TEST(StreamDecoderTest, PiecesAddUpToTheWholeDecode) {
  auto tok = Tiny();
  const std::vector<int32_t> ids = tok->Encode("hello你好 world你");
  StreamDecoder stream(tok.get());
  std::string streamed;
  for (int32_t id : ids) {
    const std::string piece = stream.Push(id);
    // Every piece on its own is whole characters.
    EXPECT_EQ(ReplaceInvalidUtf8(piece), piece);
    streamed += piece;
  }
  streamed += stream.Flush();
  EXPECT_EQ(streamed, tok->Decode(ids));
}

TEST(StreamDecoderTest, FlushReplacesAnUnfinishedCharacter) {
  auto tok = Tiny();
  StreamDecoder stream(tok.get());
  EXPECT_EQ(stream.Push(kE4), "");
  EXPECT_EQ(stream.Push(kBD), "");
  EXPECT_EQ(stream.Flush(), "\xEF\xBF\xBD");
  EXPECT_EQ(stream.Flush(), "");
}

TEST(StreamDecoderTest, BytesThatCanNeverFormACharacterGoOutAtOnce) {
  auto tok = Tiny();
  StreamDecoder stream(tok.get());
  EXPECT_EQ(stream.Push(kA0), "\xEF\xBF\xBD");  // a continuation byte with no start
  EXPECT_EQ(stream.Push(kE4), "");
  // E4 then 'h': the character is broken; both come out.
  EXPECT_EQ(stream.Push(kHello), "\xEF\xBF\xBDhello");
}

TEST(StreamDecoderTest, SpecialTokensSkippedOrKept) {
  auto tok = Tiny();
  StreamDecoder skipping(tok.get());
  EXPECT_EQ(skipping.Push(kImStart), "");
  EXPECT_EQ(skipping.Push(kHello), "hello");
  EXPECT_EQ(skipping.Push(kImEnd), "");
  StreamDecoder keeping(tok.get(), /*skip_special=*/false);
  EXPECT_EQ(keeping.Push(kImEnd), "<|im_end|>");
  EXPECT_EQ(keeping.Push(-5), "");  // unknown ids add nothing
}

}  // namespace
}  // namespace hai::tokenizer
