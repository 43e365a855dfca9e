#include "daemons/engine/openai_render.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "daemons/engine/openai_error.h"

namespace hai::engine {
namespace {

using nlohmann::json;

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto text = tokenizer::TrainByteLevelBpe("hello world hello there", 262, {"<|end|>"});
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto tok = tokenizer::Tokenizer::FromJson(*text, "test");
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    tok_ = std::move(*tok);
  }
  int32_t Id(const std::string& text) {
    auto ids = tok_->Encode(text, false);
    EXPECT_EQ(ids.size(), 1u) << text;
    return ids.empty() ? 0 : ids[0];
  }
  std::unique_ptr<tokenizer::Tokenizer> tok_;
  ResponseHeader header_{"chatcmpl-abc", 1700000000, "tiny"};
};

TEST_F(RenderTest, ChatBodyHasOpenAiShape) {
  json choices = json::array({ChatChoice(0, "hi", nullptr, FinishReason::kStop)});
  json body = CompletionBody(header_, true, choices, {5, 2});
  EXPECT_EQ(body, json::parse(R"({"id":"chatcmpl-abc","object":"chat.completion",
      "created":1700000000,"model":"tiny","choices":[{"index":0,
      "message":{"role":"assistant","content":"hi"},"logprobs":null,"finish_reason":"stop"}],
      "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})"));
}

TEST_F(RenderTest, ChunksAndSseFraming) {
  json chunk = ChatChunk(header_, 1, {{"content", "x"}}, nullptr, FinishReason::kNone, true);
  EXPECT_EQ(chunk["object"], "chat.completion.chunk");
  EXPECT_TRUE(chunk["usage"].is_null());
  EXPECT_TRUE(chunk.contains("usage"));
  EXPECT_EQ(chunk["choices"][0]["index"], 1);
  EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
  json plain = CompletionChunk(header_, 0, "t", nullptr, FinishReason::kLength, false);
  EXPECT_FALSE(plain.contains("usage"));
  EXPECT_EQ(plain["object"], "text_completion");
  EXPECT_EQ(plain["choices"][0]["finish_reason"], "length");
  json usage = UsageChunk(header_, true, {3, 4});
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["total_tokens"], 7);
  std::string event = SseEvent(json{{"a", 1}});
  EXPECT_EQ(event, "data: {\"a\":1}\n\n");
  EXPECT_EQ(kSseDone, "data: [DONE]\n\n");
  // Half a UTF-8 character (a byte-level token) must not break the stream.
  EXPECT_EQ(SseEvent(json{{"t", std::string("\xe4\xbd")}}).rfind("data: {", 0), 0u);
}

TEST_F(RenderTest, ChatLogprobsCarryBytesAndAlternatives) {
  transformer::TokenLogprob lp{Id("h"), -0.25f, {{Id("h"), -0.25f}, {Id("w"), -2}}};
  json out = ChatLogprobs(*tok_, std::span(&lp, 1));
  ASSERT_EQ(out["content"].size(), 1u);
  const json& c = out["content"][0];
  EXPECT_EQ(c["token"], "h");
  EXPECT_DOUBLE_EQ(c["logprob"].get<double>(), -0.25);
  EXPECT_EQ(c["bytes"], json::array({104}));
  ASSERT_EQ(c["top_logprobs"].size(), 2u);
  EXPECT_EQ(c["top_logprobs"][1]["token"], "w");
  EXPECT_DOUBLE_EQ(c["top_logprobs"][1]["logprob"].get<double>(), -2.0);
}

TEST_F(RenderTest, CompletionLogprobsKeepOffsetsAcrossChunks) {
  CompletionLogprobs builder(tok_.get(), 0);
  builder.AddUnscored(Id("h"));
  builder.Add({Id("w"), -1.5f, {{Id("w"), -1.5f}}});
  json first = builder.Take();
  EXPECT_EQ(first["tokens"], json::array({"h", "w"}));
  EXPECT_TRUE(first["token_logprobs"][0].is_null());
  EXPECT_TRUE(first["top_logprobs"][0].is_null());
  EXPECT_EQ(first["top_logprobs"][1], json::parse(R"({"w":-1.5})"));
  EXPECT_EQ(first["text_offset"], json::array({0, 1}));
  builder.Add({Id("x"), -std::numeric_limits<float>::infinity(), {}});
  json second = builder.Take();
  EXPECT_EQ(second["text_offset"], json::array({2}));
  EXPECT_DOUBLE_EQ(second["token_logprobs"][0].get<double>(), -9999.0);  // JSON has no -inf
}

TEST_F(RenderTest, EchoedPromptTakesEitherScoredForm) {
  std::vector<int32_t> prompt = {Id("h"), Id("w"), Id("x")};
  std::vector<transformer::TokenLogprob> later = {{Id("w"), -1, {}}, {Id("x"), -2, {}}};
  std::vector<transformer::TokenLogprob> placeholder = {{Id("h"), 0, {}}, later[0], later[1]};
  for (const auto& scored : {later, placeholder}) {
    CompletionLogprobs builder(tok_.get(), 0);
    builder.AddPrompt(prompt, scored);
    json out = builder.Take();
    EXPECT_EQ(out["tokens"], json::array({"h", "w", "x"}));
    EXPECT_EQ(out["token_logprobs"], json::parse("[null, -1.0, -2.0]"));
  }
}

TEST_F(RenderTest, EmbeddingsAsFloatsOrBase64) {
  std::vector<std::vector<float>> v = {{1.0f, -2.0f}};
  json floats = EmbeddingsBody("tiny", v, false, 3);
  EXPECT_EQ(floats["data"][0]["embedding"], json::array({1.0, -2.0}));
  EXPECT_EQ(floats["usage"], json::parse(R"({"prompt_tokens":3,"total_tokens":3})"));
  json b64 = EmbeddingsBody("tiny", v, true, 3);
  // 1.0f = 00 00 80 3f, -2.0f = 00 00 00 c0 (little-endian).
  EXPECT_EQ(b64["data"][0]["embedding"], "AACAPwAAAMA=");
  EXPECT_EQ(Base64(std::vector<uint8_t>{'M', 'a'}), "TWE=");
  EXPECT_EQ(Base64(std::vector<uint8_t>{'M', 'a', 'n'}), "TWFu");
}

TEST_F(RenderTest, RerankAndModels) {
  json r = RerankBody("rerank-1", "tiny", {{2, 0.9, "b"}, {0, 0.1, "a"}}, true, 12);
  EXPECT_EQ(r["results"][0], json::parse(R"({"index":2,"relevance_score":0.9,
      "document":{"text":"b"}})"));
  EXPECT_EQ(r["usage"]["total_tokens"], 12);
  json without = RerankBody("rerank-1", "tiny", {{2, 0.9, "b"}}, false, 12);
  EXPECT_FALSE(without["results"][0].contains("document"));
  json m = ModelsBody("tiny", 5, 512);
  EXPECT_EQ(m["data"][0]["id"], "tiny");
  EXPECT_EQ(m["data"][0]["max_model_len"], 512);
}

TEST(ErrorTest, OpenAiErrorShape) {
  json e = ErrorJson(InvalidRequest("invalid_value", "bad", "n"));
  EXPECT_EQ(e, json::parse(R"({"error":{"message":"bad","type":"invalid_request_error",
      "param":"n","code":"invalid_value"}})"));
  EXPECT_TRUE(ErrorJson(InvalidRequest("invalid_json", "x"))["error"]["param"].is_null());
  ApiError full = FromStatus(Status(Code::kResourceExhausted, "queue is full"));
  EXPECT_EQ(full.status, 429);
  EXPECT_EQ(full.code, "queue_full");
  EXPECT_EQ(ErrorJson(full)["error"]["type"], "rate_limit_error");
  ApiError internal = FromStatus(Status::Internal("boom"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(ErrorJson(internal)["error"]["type"], "server_error");
  EXPECT_EQ(ErrorResponse(full).status, 429);
}

}  // namespace
}  // namespace hai::engine
