#include "daemons/gateway/usage_meter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hai::gateway {
namespace {

TEST(UsageFromAnswerTest, ReadsEachEndpointsUsage) {
  auto chat =
      UsageFromAnswer(R"({"id":"x","choices":[{"message":{"content":"a \"usage\": {} b"}}],)"
                      R"("usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7,)"
                      R"("prompt_tokens_details":{"cached_tokens":1}}})");
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->input, 5);
  EXPECT_EQ(chat->output, 2);
  EXPECT_EQ(chat->total, 7);
  EXPECT_EQ(chat->source, "engine");
  auto embeddings = UsageFromAnswer(
      R"({"object":"list","data":[],"usage":{"prompt_tokens":3,"total_tokens":3}})");
  ASSERT_TRUE(embeddings);
  EXPECT_EQ(embeddings->input, 3);
  EXPECT_EQ(embeddings->output, 0);
  auto rerank = UsageFromAnswer(R"({"id":"r","usage":{"total_tokens":12},"results":[]})");
  ASSERT_TRUE(rerank);
  EXPECT_EQ(rerank->input, 12) << "rerank reads only input";
  EXPECT_EQ(rerank->total, 12);
  // Spaces and newlines as other engines write them.
  auto spaced = UsageFromAnswer("{\"usage\" :\n {\"prompt_tokens\": 1, \"completion_tokens\": 1}}");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->total, 2);
}

TEST(UsageFromAnswerTest, NoUsageIsNone) {
  EXPECT_FALSE(UsageFromAnswer(R"({"id":"x","choices":[]})"));
  EXPECT_FALSE(UsageFromAnswer(R"({"usage":null})"));
  EXPECT_FALSE(UsageFromAnswer(R"({"usage":{"prompt_tokens":"five"}})"));
  EXPECT_FALSE(UsageFromAnswer(R"({"usage":{"prompt_tokens":-1}})"));
  EXPECT_FALSE(UsageFromAnswer("not json"));
  EXPECT_FALSE(UsageFromAnswer(""));
}

TEST(EstimateTest, FourBytesOfTextPerTokenRoundedUp) {
  EXPECT_EQ(EstimateTokens(""), 0);
  EXPECT_EQ(EstimateTokens("abc"), 1);
  EXPECT_EQ(EstimateTokens("abcd"), 1);
  EXPECT_EQ(EstimateTokens("abcde"), 2);
  EXPECT_EQ(EstimateTokens("心电图"), 3) << "UTF-8 bytes: 9";
  // Chat: every message's content, parts included (7 + 4 + 6 bytes).
  EXPECT_EQ(EstimateInputTokens(
                R"({"messages":[{"role":"system","content":"be kind"},)"
                R"({"role":"user","content":[{"type":"text","text":"ward"},{"type":"image_url"}]},)"
                R"({"role":"assistant","content":null},{"role":"user","content":"thanks"}]})"),
            5);
  EXPECT_EQ(EstimateInputTokens(R"({"prompt":"The ward"})"), 2);
  EXPECT_EQ(EstimateInputTokens(R"({"prompt":["abcd","abcd"]})"), 2);
  EXPECT_EQ(EstimateInputTokens(R"({"prompt":[1,2,3]})"), 3) << "token ids count as they are";
  EXPECT_EQ(EstimateInputTokens(R"({"input":[[1,2],[3]]})"), 3);
  EXPECT_EQ(EstimateInputTokens(R"({"query":"abcd","documents":["abcd",{"text":"abcd"}]})"), 3);
  EXPECT_EQ(EstimateInputTokens("not json"), 0);
  EXPECT_EQ(
      EstimateOutputTokens(R"({"choices":[{"message":{"content":"abcdefgh"}},{"text":"abcd"}]})"),
      3);
  EXPECT_EQ(EstimateOutputTokens(R"({"data":[]})"), 0);
}

const std::vector<std::string> kStream = {
    "data: "
    "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}],\"usage\":null}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],\"usage\":null}\n\n",
    "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,"
    "\"total_tokens\":6}}\n\n",
    "data: [DONE]\n\n"};

std::string Joined() {
  std::string all;
  for (const auto& e : kStream) all += e;
  return all;
}

TEST(StreamUsageMeterTest, CountsContentEventsAndKeepsTheLastUsage) {
  StreamUsageMeter meter;
  std::vector<bool> first;
  for (const auto& e : kStream) first.push_back(meter.Feed(e));
  EXPECT_EQ(first, (std::vector<bool>{false, true, false, false, false, false}))
      << "the role event has no content; the first text does";
  EXPECT_EQ(meter.content_events(), 2);
  ASSERT_TRUE(meter.reported());
  EXPECT_EQ(meter.reported()->input, 4);
  EXPECT_EQ(meter.reported()->output, 2);
  EXPECT_EQ(meter.error_code(), "");
}

TEST(StreamUsageMeterTest, PiecesMayCutEventsAnywhere) {
  const std::string all = Joined();
  for (size_t step : {1u, 2u, 3u, 7u, 64u}) {
    StreamUsageMeter meter;
    int firsts = 0;
    for (size_t i = 0; i < all.size(); i += step) firsts += meter.Feed(all.substr(i, step));
    EXPECT_EQ(firsts, 1) << step;
    EXPECT_EQ(meter.content_events(), 2) << step;
    ASSERT_TRUE(meter.reported()) << step;
    EXPECT_EQ(meter.reported()->total, 6) << step;
  }
}

TEST(StreamUsageMeterTest, CompletionsCrlfAndMultiLineData) {
  StreamUsageMeter meter;
  meter.Feed("data: {\"choices\":[{\"text\":\"a\"}]}\r\n\r\n");
  meter.Feed(": a comment\n\n");
  meter.Feed("event: message\ndata: {\"choices\":\ndata: [{\"text\":\"b\"}]}\n\n");
  meter.Feed("data: {\"choices\":[{\"text\":\"\"}]}\n\n");
  EXPECT_EQ(meter.content_events(), 2);
  EXPECT_FALSE(meter.reported());
}

TEST(StreamUsageMeterTest, AnErrorEventIsNoted) {
  StreamUsageMeter meter;
  meter.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n");
  meter.Feed("data: {\"error\":{\"message\":\"out of memory\",\"code\":\"engine_error\"}}\n\n");
  EXPECT_EQ(meter.error_code(), "engine_error");
  EXPECT_EQ(meter.content_events(), 1);
}

TEST(StreamUsageMeterTest, AnOversizedEventIsSkippedAndTheNextOnesRead) {
  StreamUsageMeter meter;
  meter.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"");
  const std::string chunk(64 * 1024, 'x');
  for (size_t sent = 0; sent <= StreamUsageMeter::kMaxEventBytes; sent += chunk.size())
    meter.Feed(chunk);
  meter.Feed("\"}}]}\n");
  meter.Feed("\ndata: {\"choices\":[{\"delta\":{\"content\":\"y\"}}]}\n\n");
  EXPECT_EQ(meter.content_events(), 1) << "only the event after the oversized one";
}

}  // namespace
}  // namespace hai::gateway
