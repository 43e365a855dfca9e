#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/engine/step_loop.h"
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

TEST_F(StepLoopTest, CancelFreesTheCacheAtOnceAndAborts) {
  metrics::Registry registry;
  std::mutex mu;
  std::condition_variable cv;
  int64_t kv_while_running = -1, kv_at_abort = -1;
  int running_at_abort = -1;
  FinishReason finish = FinishReason::kNone;
  size_t tokens = 0;
  std::unique_ptr<StepLoop> loop = NewLoop(StepLoopOptions{}, &registry);
  EventSink sink = [&](GenerationEvent&& e) {
    LoadSnapshot load = loop->Load();
    std::lock_guard lock(mu);
    tokens += e.tokens.size();
    if (e.finish == FinishReason::kNone && kv_while_running < 0) {
      kv_while_running = load.kv_bytes_used;
      loop->Cancel("c");  // from the sink itself: the loop thread
    }
    if (e.finish != FinishReason::kNone) {
      finish = e.finish;
      kv_at_abort = load.kv_bytes_used;
      running_at_abort = load.running;
      cv.notify_all();
    }
  };
  ASSERT_TRUE(loop->Submit(Request("c", Encode("The quick brown fox"), 400), sink).ok());
  loop->Start();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return finish != FinishReason::kNone; }));
  EXPECT_EQ(finish, FinishReason::kAbort);
  EXPECT_GT(kv_while_running, 0);
  EXPECT_EQ(kv_at_abort, 0);
  EXPECT_EQ(running_at_abort, 0);
  EXPECT_LT(tokens, 400u);
  EXPECT_NE(registry.Render().find("finished_reason=\"abort\"} 1"), std::string::npos);
}

TEST_F(StepLoopTest, CancelOfAWaitingRequestAbortsItWithoutOutput) {
  metrics::Registry registry;
  StepLoopOptions options;
  options.max_num_seqs = 1;
  Collector collector;
  auto loop = NewLoop(options, &registry);
  ASSERT_TRUE(
      loop->Submit(Request("first", Encode("A hospital"), 40), collector.SinkFor("first")).ok());
  ASSERT_TRUE(
      loop->Submit(Request("second", Encode("A hospital"), 40), collector.SinkFor("second")).ok());
  loop->Cancel("second");
  loop->Cancel("unknown");
  loop->Start();
  ASSERT_TRUE(collector.WaitDone(2));
  EXPECT_EQ(collector.Get("second").finish, FinishReason::kAbort);
  EXPECT_TRUE(collector.Get("second").tokens.empty());
  EXPECT_EQ(collector.Get("first").finish, FinishReason::kLength);
  EXPECT_EQ(collector.Get("first").tokens.size(), 40u);
}

TEST_F(StepLoopTest, StopStringsAndStopTokensEndTheText) {
  GenerationRequest base = Request("base", Encode("A hospital"), 40);
  const Received reference = RunTogether({base}, StepLoopOptions{})[0];
  ASSERT_EQ(reference.tokens.size(), 40u);

  // A stop string from the middle of the reference text.
  size_t at = reference.text.size() / 2;
  while (at + 3 < reference.text.size() &&
         (static_cast<unsigned char>(reference.text[at]) >= 0x80 ||
          static_cast<unsigned char>(reference.text[at + 1]) >= 0x80 ||
          static_cast<unsigned char>(reference.text[at + 2]) >= 0x80))
    ++at;
  ASSERT_LT(at + 3, reference.text.size()) << reference.text;
  const std::string stop = reference.text.substr(at, 3);
  const size_t first = reference.text.find(stop);

  GenerationRequest with_stop = base;
  with_stop.request_id = "stop";
  with_stop.sampling.stop = {"never-there", stop};
  const Received stopped = RunTogether({with_stop}, StepLoopOptions{})[0];
  EXPECT_EQ(stopped.finish, FinishReason::kStop);
  EXPECT_EQ(stopped.stop_reason, stop);
  EXPECT_EQ(stopped.text, reference.text.substr(0, first));
  EXPECT_LT(stopped.tokens.size(), reference.tokens.size());

  with_stop.sampling.include_stop_str_in_output = true;
  const Received included = RunTogether({with_stop}, StepLoopOptions{})[0];
  EXPECT_EQ(included.text, reference.text.substr(0, first + stop.size()));

  // A stop token: the output ends at its first appearance, its text left out.
  GenerationRequest with_token = base;
  with_token.request_id = "token";
  // The first token that appears for the first time after a few others.
  size_t end = 3;
  while (std::find(reference.tokens.begin(), reference.tokens.begin() + end,
                   reference.tokens[end]) != reference.tokens.begin() + end)
    ++end;
  ASSERT_LT(end, reference.tokens.size());
  const int32_t token = reference.tokens[end];
  with_token.sampling.stop_token_ids = {token};
  const Received by_token = RunTogether({with_token}, StepLoopOptions{})[0];
  EXPECT_EQ(by_token.tokens,
            std::vector<int32_t>(reference.tokens.begin(), reference.tokens.begin() + end + 1));
  EXPECT_EQ(by_token.finish, FinishReason::kStop);
  EXPECT_EQ(by_token.stop_reason, std::to_string(token));
  EXPECT_EQ(by_token.events.back().stop_token_id, token);
  const std::string without_token = tiny_.ckpt->tokenizer->Decode(
      std::vector<int32_t>(reference.tokens.begin(), reference.tokens.begin() + end), true);
  EXPECT_EQ(by_token.text, without_token);

  // min_tokens keeps the stop token from ending it early.
  with_token.sampling.min_tokens = static_cast<int>(end) + 2;
  const Received later = RunTogether({with_token}, StepLoopOptions{})[0];
  EXPECT_GE(later.tokens.size(), end + 2);
}

TEST_F(StepLoopTest, EosEndsTheSequenceUnlessIgnored) {
  const int32_t eos = tiny_.ckpt->generation.eos_token_ids.at(0);
  GenerationRequest r = Request("eos", Encode("The quick"), 30);
  r.sampling.ignore_eos = false;
  r.sampling.repetition_penalty = 1.0;
  const Received first = RunTogether({r}, StepLoopOptions{})[0];
  // The random model may or may not produce EOS on its own; what it produced
  // must respect the rule either way.
  for (size_t i = 0; i + 1 < first.tokens.size(); ++i) EXPECT_NE(first.tokens[i], eos);
  if (!first.tokens.empty() && first.tokens.back() == eos) {
    EXPECT_EQ(first.finish, FinishReason::kStop);
    EXPECT_EQ(first.stop_reason, "");
  } else {
    EXPECT_EQ(first.finish, FinishReason::kLength);
  }
}

TEST_F(StepLoopTest, SubmitRejectsWhatCanNeverRun) {
  metrics::Registry registry;
  StepLoopOptions options;
  options.max_waiting = 2;
  Collector collector;
  auto loop = NewLoop(options, &registry);
  Status empty = loop->Submit(Request("e", {}, 4), collector.SinkFor("e"));
  EXPECT_EQ(empty.code(), Code::kInvalidArgument);

  std::vector<int32_t> huge(512, 5);
  Status too_long = loop->Submit(Request("l", huge, 4), collector.SinkFor("l"));
  EXPECT_EQ(too_long.code(), Code::kInvalidArgument);
  EXPECT_NE(too_long.message().find("512"), std::string::npos) << too_long.message();

  std::vector<int32_t> prompt(500, 5);
  Status over = loop->Submit(Request("o", prompt, 20), collector.SinkFor("o"));
  EXPECT_EQ(over.code(), Code::kInvalidArgument);
  EXPECT_NE(over.message().find("520"), std::string::npos) << over.message();
  EXPECT_NE(over.message().find("500"), std::string::npos);
  EXPECT_EQ(over.field(), "max_tokens");

  Status bad_id = loop->Submit(Request("b", {1, 100000}, 4), collector.SinkFor("b"));
  EXPECT_EQ(bad_id.code(), Code::kInvalidArgument);

  ASSERT_TRUE(loop->Submit(Request("q1", {1, 2}, 4), collector.SinkFor("q1")).ok());
  Status duplicate = loop->Submit(Request("q1", {1, 2}, 4), collector.SinkFor("q1"));
  EXPECT_EQ(duplicate.code(), Code::kAlreadyExists);
  ASSERT_TRUE(loop->Submit(Request("q2", {1, 2}, 4), collector.SinkFor("q2")).ok());
  Status full = loop->Submit(Request("q3", {1, 2}, 4), collector.SinkFor("q3"));
  EXPECT_EQ(full.code(), Code::kResourceExhausted);
  EXPECT_EQ(loop->Load().waiting, 2);
  // Never started: destruction aborts what waits.
  loop.reset();
  EXPECT_EQ(collector.Get("q1").finish, FinishReason::kAbort);
  EXPECT_EQ(collector.Get("q2").finish, FinishReason::kAbort);
}

TEST_F(StepLoopTest, MetricsUseVllmNamesAndTheClockSeam) {
  metrics::Registry registry;
  FakeClock clock(1'000'000);
  StepLoopOptions options;
  options.clock = &clock;
  std::vector<GenerationRequest> requests;
  const auto prompts = Prompts();
  int prompt_total = 0;
  for (size_t i = 0; i < 3; ++i) {
    requests.push_back(Request(Name("t", i), prompts[i], 5));
    prompt_total += static_cast<int>(prompts[i].size());
  }
  RunTogether(requests, options, nullptr, &registry);
  const std::string text = registry.Render();
  const std::string label = "{model_name=\"tiny\"}";
  EXPECT_NE(text.find("vllm:prompt_tokens_total" + label + " " + std::to_string(prompt_total)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vllm:generation_tokens_total" + label + " 15"), std::string::npos);
  EXPECT_NE(text.find("vllm:time_to_first_token_seconds_count" + label + " 3"), std::string::npos);
  EXPECT_NE(text.find("vllm:time_to_first_token_seconds_sum" + label + " 0"), std::string::npos);
  EXPECT_NE(text.find("vllm:time_per_output_token_seconds_count" + label + " 12"),
            std::string::npos);
  EXPECT_NE(text.find("vllm:e2e_request_latency_seconds_count" + label + " 3"), std::string::npos);
  EXPECT_NE(
      text.find("vllm:request_prompt_tokens_sum" + label + " " + std::to_string(prompt_total)),
      std::string::npos);
  EXPECT_NE(text.find("vllm:request_generation_tokens_sum" + label + " 15"), std::string::npos);
  EXPECT_NE(text.find("vllm:request_queue_time_seconds_count" + label + " 3"), std::string::npos);
  EXPECT_NE(text.find("vllm:num_requests_waiting" + label + " 0"), std::string::npos);
  EXPECT_NE(text.find("vllm:kv_cache_usage_perc" + label + " 0"), std::string::npos);
}

}  // namespace
}  // namespace hai::engine
