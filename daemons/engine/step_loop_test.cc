#include "daemons/engine/step_loop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/engine/step_loop_fixture.h"
#include "lib/base/clock.h"
#include "lib/metrics/registry.h"

namespace hai::engine {
namespace {

using test_support::Collector;
using test_support::kWait;
using test_support::Name;
using test_support::Received;
using test_support::StepLoopTest;

TEST_F(StepLoopTest, GreedyBatchEqualsEachRequestAlone) {
  std::vector<GenerationRequest> requests;
  const auto prompts = Prompts();
  for (size_t i = 0; i < prompts.size(); ++i)
    requests.push_back(Request(Name("r", i), prompts[i], 12 + int(i)));
  const auto alone = RunAlone(requests);
  const auto together = RunTogether(requests, StepLoopOptions{});
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(together[i].tokens, alone[i]) << "request " << i;
    EXPECT_EQ(together[i].finish, FinishReason::kLength);
    EXPECT_EQ(together[i].tokens.size(), size_t(12 + i));
    EXPECT_EQ(together[i].events.back().completion_tokens, int(12 + i));
    EXPECT_EQ(together[i].events.back().prompt_tokens, int(prompts[i].size()));
  }
}

TEST_F(StepLoopTest, SeededSamplingDoesNotDependOnTheBatch) {
  std::vector<GenerationRequest> seeded;
  const auto prompts = Prompts();
  for (size_t i = 0; i < 4; ++i) {
    GenerationRequest r = Request(Name("s", i), prompts[i], 16);
    r.sampling.temperature = 0.9;
    r.sampling.top_p = 0.95;
    r.sampling.top_k = 50;
    r.sampling.seed = 100 + i;
    seeded.push_back(r);
  }
  const auto alone = RunAlone(seeded);
  std::vector<GenerationRequest> mixed = seeded;
  for (size_t i = 4; i < prompts.size(); ++i) {  // unseeded neighbours
    GenerationRequest r = Request(Name("n", i), prompts[i], 20);
    r.sampling.temperature = 1.0;
    mixed.insert(mixed.begin() + 1, r);
  }
  const auto together = RunTogether(mixed, StepLoopOptions{});
  for (size_t i = 0; i < mixed.size(); ++i) {
    for (size_t j = 0; j < seeded.size(); ++j) {
      if (mixed[i].request_id == seeded[j].request_id) {
        EXPECT_EQ(together[i].tokens, alone[j]) << mixed[i].request_id;
      }
    }
  }
}

TEST_F(StepLoopTest, RespectsMaxNumSeqs) {
  metrics::Registry registry;
  StepLoopOptions options;
  options.max_num_seqs = 2;
  std::mutex mu;
  int max_running = 0, max_waiting = 0;
  Collector collector;
  auto loop = NewLoop(options, &registry);
  const auto prompts = Prompts();
  for (size_t i = 0; i < 6; ++i) {
    const std::string id = Name("m", i);
    EventSink inner = collector.SinkFor(id);
    EventSink sink = [&, inner](GenerationEvent&& e) {
      LoadSnapshot load = loop->Load();
      {
        std::lock_guard lock(mu);
        max_running = std::max(max_running, load.running);
        max_waiting = std::max(max_waiting, load.waiting);
      }
      inner(std::move(e));
    };
    ASSERT_TRUE(loop->Submit(Request(id, prompts[i], 8), sink).ok());
  }
  EXPECT_EQ(loop->Load().waiting, 6);
  const std::string rendered_before = registry.Render();
  loop->Start();
  ASSERT_TRUE(collector.WaitDone(6));
  std::lock_guard lock(mu);
  EXPECT_EQ(max_running, 2);
  EXPECT_GE(max_waiting, 1);
  EXPECT_NE(rendered_before.find("vllm:num_requests_running{model_name=\"tiny\"} 0"),
            std::string::npos);
  const std::string rendered = registry.Render();
  EXPECT_NE(rendered.find("vllm:num_requests_running{model_name=\"tiny\"} 0"), std::string::npos);
  EXPECT_NE(rendered.find("vllm:request_success_total{model_name=\"tiny\",finished_reason="
                          "\"length\"} 6"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("vllm:generation_tokens_total{model_name=\"tiny\"} 48"),
            std::string::npos);
}

TEST_F(StepLoopTest, ATinyKvBudgetQueuesAndPreemptsWithoutChangingGreedyOutput) {
  std::vector<GenerationRequest> requests;
  const auto prompts = Prompts();
  for (size_t i = 0; i < prompts.size(); ++i)
    requests.push_back(Request(Name("k", i), prompts[i], 60));
  const auto alone = RunAlone(requests);
  StepLoopOptions options;
  // Room for 200 tokens: a cache holds 64 tokens at first and 128 after it
  // grows, so three sequences start and the first to grow preempts another.
  options.kv_budget_bytes = 200 * tiny_.model->KvBytesPerToken();
  metrics::Registry registry;
  const auto together = RunTogether(requests, options, nullptr, &registry);
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(together[i].tokens, alone[i]) << "request " << i;
    EXPECT_EQ(together[i].finish, FinishReason::kLength);
    // Recomputation after a preemption repeats no output.
    size_t tokens_in_events = 0;
    for (const auto& e : together[i].events) tokens_in_events += e.tokens.size();
    EXPECT_EQ(tokens_in_events, 60u);
  }
  EXPECT_GT(last_load_.preemptions, 0u);
  EXPECT_EQ(last_load_.kv_bytes_used, 0);
  EXPECT_NE(registry.Render().find("vllm:num_preemptions_total{model_name=\"tiny\"} " +
                                   std::to_string(last_load_.preemptions)),
            std::string::npos);
}

TEST_F(StepLoopTest, ChunkedPrefillGivesTheSameOutputAndPromptLogprobs) {
  std::vector<int32_t> prompt;
  while (prompt.size() < 300) {
    auto more = Encode("The quick brown fox jumps over the lazy dog. A hospital runs models. ");
    prompt.insert(prompt.end(), more.begin(), more.end());
  }
  prompt.resize(300);
  GenerationRequest request = Request("long", prompt, 20);
  request.prompt_logprobs = 2;
  request.sampling.logprobs = 3;
  StepLoopOptions whole;
  whole.max_num_batched_tokens = 4096;
  StepLoopOptions chunked;
  chunked.max_num_batched_tokens = 64;
  const Received a = RunTogether({request}, whole)[0];
  const Received b = RunTogether({request}, chunked)[0];
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.text, b.text);
  const auto& pa = a.events.front().prompt_logprobs;
  const auto& pb = b.events.front().prompt_logprobs;
  ASSERT_EQ(pa.size(), prompt.size());
  ASSERT_EQ(pb.size(), prompt.size());
  EXPECT_EQ(pa[0].logprob, 0.0f);
  EXPECT_TRUE(pa[0].top.empty());
  for (size_t i = 0; i < prompt.size(); ++i) {
    EXPECT_EQ(pb[i].token, prompt[i]);
    EXPECT_NEAR(pa[i].logprob, pb[i].logprob, 1e-3) << "position " << i;
    EXPECT_LE(pb[i].logprob, 0.0f);
    if (i > 0) {
      ASSERT_EQ(pb[i].top.size(), 2u) << "position " << i;
      EXPECT_EQ(pa[i].top[0].first, pb[i].top[0].first);
    }
  }
  for (size_t e = 1; e < b.events.size(); ++e) EXPECT_TRUE(b.events[e].prompt_logprobs.empty());
  // Greedy: each chosen token is the best of its own logprobs.
  for (const auto& e : b.events) {
    ASSERT_EQ(e.logprobs.size(), e.tokens.size());
    for (const auto& lp : e.logprobs) {
      ASSERT_EQ(lp.top.size(), 3u);
      EXPECT_EQ(lp.top[0].first, lp.token);
      EXPECT_FLOAT_EQ(lp.top[0].second, lp.logprob);
    }
  }
}

class LongContextTest : public StepLoopTest {
 protected:
  void SetUp() override {
    TinyModelSpec spec;
    spec.max_position = 8192;
    spec.hidden_size = 16;
    spec.intermediate_size = 32;
    spec.num_heads = 2;
    spec.num_kv_heads = 1;
    spec.num_layers = 1;
    LoadModel(spec);
  }
};

TEST_F(LongContextTest, AcceptsAnEightThousandTokenPromptAndGenerates) {
  std::vector<int32_t> prompt;
  const auto text = Encode("The quick brown fox jumps over the lazy dog. ");
  while (prompt.size() < 8000) prompt.insert(prompt.end(), text.begin(), text.end());
  prompt.resize(8000);
  StepLoopOptions options;
  options.max_num_seqs = 1;
  const Received r = RunTogether({Request("8k", prompt, 16)}, options)[0];
  EXPECT_TRUE(r.error.ok()) << r.error.ToString();
  EXPECT_EQ(r.finish, FinishReason::kLength);
  EXPECT_EQ(r.tokens.size(), 16u);
  EXPECT_EQ(r.events.back().prompt_tokens, 8000);
}

}  // namespace
}  // namespace hai::engine
