// A real hai-engine serving a tiny Qwen2 checkpoint: answers in OpenAI's shapes.
#include <gtest/gtest.h>

#include <thread>

#include "daemons/engine/tests/engine_process.h"

namespace hai::engine::testing {
namespace {

using nlohmann::json;

TEST_F(DecoderEngineTest, ServesModelsHealthVersionAndStopsOnSigterm) {
  auto models = engine().Get("/v1/models");
  ASSERT_EQ(models.status, 200) << models.raw;
  EXPECT_EQ(models.body["object"], "list");
  ASSERT_EQ(models.body["data"].size(), 1u);
  EXPECT_EQ(models.body["data"][0]["id"], "tiny");
  EXPECT_EQ(models.body["data"][0]["object"], "model");
  EXPECT_EQ(models.body["data"][0]["max_model_len"], 160);
  EXPECT_EQ(engine().Get("/health").status, 200);
  auto version = engine().Get("/version");
  EXPECT_EQ(version.status, 200);
  EXPECT_TRUE(version.body["version"].is_string());
  EXPECT_EQ(engine().Terminate(), 0) << engine().Log();
}

TEST_F(DecoderEngineTest, ChatCompletionHasOpenAiShape) {
  auto r = engine().Post("/v1/chat/completions", ChatBody("hello there", 8));
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& b = r.body;
  EXPECT_EQ(b["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(b["object"], "chat.completion");
  EXPECT_TRUE(b["created"].is_number_integer());
  EXPECT_EQ(b["model"], "tiny");
  ASSERT_EQ(b["choices"].size(), 1u);
  const json& c = b["choices"][0];
  EXPECT_EQ(c["index"], 0);
  EXPECT_EQ(c["message"]["role"], "assistant");
  EXPECT_TRUE(c["message"]["content"].is_string());
  EXPECT_TRUE(c["logprobs"].is_null());
  std::string finish = c["finish_reason"];
  EXPECT_TRUE(finish == "stop" || finish == "length") << finish;
  const json& u = b["usage"];
  EXPECT_GT(u["prompt_tokens"].get<int>(), 0);
  EXPECT_LE(u["completion_tokens"].get<int>(), 8);
  if (finish == "length") {
    EXPECT_EQ(u["completion_tokens"], 8);
  }
  EXPECT_EQ(u["total_tokens"].get<int>(),
            u["prompt_tokens"].get<int>() + u["completion_tokens"].get<int>());
}

TEST_F(DecoderEngineTest, CompletionsAnswerEveryPromptShape) {
  auto r = engine().Post("/v1/completions", CompletionBodyFor("once upon", 5));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["id"].get<std::string>().rfind("cmpl-", 0), 0u);
  EXPECT_EQ(r.body["object"], "text_completion");
  ASSERT_EQ(r.body["choices"].size(), 1u);
  EXPECT_TRUE(r.body["choices"][0]["text"].is_string());
  // An array of prompts: one choice each (× n), prompt tokens summed once per prompt.
  auto many = engine().Post(
      "/v1/completions",
      CompletionBodyFor({"a b", "c d e"}, 3, {{"n", 2}, {"seed", 4}, {"temperature", 0.9}}));
  ASSERT_EQ(many.status, 200) << many.raw;
  ASSERT_EQ(many.body["choices"].size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(many.body["choices"][i]["index"], i);
  // Token ids are used as they are.
  auto ids = engine().Post("/v1/completions", CompletionBodyFor({5, 6, 7}, 2));
  ASSERT_EQ(ids.status, 200) << ids.raw;
  EXPECT_EQ(ids.body["usage"]["prompt_tokens"], 3);
}

TEST_F(DecoderEngineTest, GreedyIsDeterministicAloneAndUnderConcurrency) {
  const std::vector<std::string> prompts = {"the cat",       "a dog runs",  "hello", "x y z",
                                            "numbers 1 2 3", "quiet night", "blue",  "tea"};
  std::vector<std::string> alone;
  for (const auto& p : prompts) {
    auto r = engine().Post("/v1/completions", CompletionBodyFor(p, 12));
    ASSERT_EQ(r.status, 200) << r.raw;
    alone.push_back(r.body["choices"][0]["text"]);
  }
  auto again = engine().Post("/v1/completions", CompletionBodyFor(prompts[0], 12));
  EXPECT_EQ(again.body["choices"][0]["text"], alone[0]);
  // 8 threads × 2 rounds at once: batching must not change greedy outputs.
  std::vector<std::string> together(prompts.size() * 2);
  std::vector<int> statuses(together.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < prompts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (size_t round = 0; round < 2; ++round) {
        auto r = engine().Post("/v1/completions", CompletionBodyFor(prompts[t], 12));
        statuses[t * 2 + round] = r.status;
        if (r.status == 200) together[t * 2 + round] = r.body["choices"][0]["text"];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < prompts.size(); ++t) {
    for (size_t round = 0; round < 2; ++round) {
      EXPECT_EQ(statuses[t * 2 + round], 200);
      EXPECT_EQ(together[t * 2 + round], alone[t]) << "prompt " << prompts[t];
    }
  }
}

TEST_F(DecoderEngineTest, SeededSamplingRepeats) {
  json extra = {{"temperature", 1.0}, {"seed", 1234}, {"top_p", 0.9}};
  auto a = engine().Post("/v1/chat/completions", ChatBody("tell me", 10, extra));
  auto b = engine().Post("/v1/chat/completions", ChatBody("tell me", 10, extra));
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["choices"][0]["message"]["content"], b.body["choices"][0]["message"]["content"]);
}

TEST_F(DecoderEngineTest, StopStringEndsTheTextBeforeIt) {
  json extra = {{"ignore_eos", true}};
  auto full = engine().Post("/v1/completions", CompletionBodyFor("the story", 40, extra));
  ASSERT_EQ(full.status, 200) << full.raw;
  std::string text = full.body["choices"][0]["text"];
  // Two printable ASCII characters from past the start of the text.
  std::string stop;
  for (size_t k = 1; k + 1 < text.size() && stop.empty(); ++k) {
    if (std::isprint(static_cast<unsigned char>(text[k])) &&
        std::isprint(static_cast<unsigned char>(text[k + 1])) && text[k] != ' ')
      stop = text.substr(k, 2);
  }
  if (stop.empty()) GTEST_SKIP() << "no ASCII pair in the tiny model's output: " << text;
  extra["stop"] = json::array({stop, "never-appears-here"});
  auto cut = engine().Post("/v1/completions", CompletionBodyFor("the story", 40, extra));
  ASSERT_EQ(cut.status, 200) << cut.raw;
  EXPECT_EQ(cut.body["choices"][0]["text"], text.substr(0, text.find(stop))) << "stop " << stop;
  EXPECT_EQ(cut.body["choices"][0]["finish_reason"], "stop");
}

TEST_F(DecoderEngineTest, EchoWithLogprobsScoresThePrompt) {
  auto r = engine().Post("/v1/completions",
                         CompletionBodyFor("hello world", 4, {{"echo", true}, {"logprobs", 2}}));
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& c = r.body["choices"][0];
  std::string text = c["text"];
  EXPECT_EQ(text.rfind("hello world", 0), 0u) << text;
  const json& lp = c["logprobs"];
  int prompt_tokens = r.body["usage"]["prompt_tokens"];
  int completion_tokens = r.body["usage"]["completion_tokens"];
  ASSERT_EQ(lp["tokens"].size(), static_cast<size_t>(prompt_tokens + completion_tokens)) << lp;
  ASSERT_EQ(lp["token_logprobs"].size(), lp["tokens"].size());
  ASSERT_EQ(lp["top_logprobs"].size(), lp["tokens"].size());
  ASSERT_EQ(lp["text_offset"].size(), lp["tokens"].size());
  EXPECT_TRUE(lp["token_logprobs"][0].is_null());
  EXPECT_TRUE(lp["top_logprobs"][0].is_null());
  for (size_t i = 1; i < lp["tokens"].size(); ++i) {
    ASSERT_TRUE(lp["token_logprobs"][i].is_number()) << i;
    EXPECT_LE(lp["token_logprobs"][i].get<double>(), 0.0);
    EXPECT_LE(lp["top_logprobs"][i].size(), 2u);
    EXPECT_GE(lp["text_offset"][i].get<int>(), lp["text_offset"][i - 1].get<int>());
  }
  // Chat logprobs: one entry per completion token, with alternatives.
  auto chat = engine().Post("/v1/chat/completions",
                            ChatBody("hi", 3, {{"logprobs", true}, {"top_logprobs", 3}}));
  ASSERT_EQ(chat.status, 200) << chat.raw;
  const json& content = chat.body["choices"][0]["logprobs"]["content"];
  EXPECT_EQ(content.size(), chat.body["usage"]["completion_tokens"].get<size_t>());
  for (const auto& t : content) {
    EXPECT_TRUE(t["token"].is_string());
    EXPECT_TRUE(t["bytes"].is_array());
    EXPECT_EQ(t["top_logprobs"].size(), 3u);
  }
}

}  // namespace
}  // namespace hai::engine::testing
