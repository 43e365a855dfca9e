// Server-sent events from a real hai-engine: framing, equality with the
// non-streamed answer, usage, and a client that hangs up.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "daemons/engine/tests/engine_process.h"
#include "daemons/engine/tests/sse.h"
#include "lib/http/client.h"

namespace hai::engine::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

TEST_F(DecoderEngineTest, ChatStreamIsFramedAndMatchesTheWholeAnswer) {
  json extra = {{"temperature", 0.8}, {"seed", 99}};
  auto whole = engine().Post("/v1/chat/completions", ChatBody("stream this", 16, extra));
  ASSERT_EQ(whole.status, 200) << whole.raw;

  json streamed = ChatBody("stream this", 16, extra);
  streamed["stream"] = true;
  streamed["stream_options"] = {{"include_usage", true}};
  SseStream s = PostStream(engine().port(), "/v1/chat/completions", streamed);
  ASSERT_TRUE(s.transport_ok);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.content_type.rfind("text/event-stream", 0), 0u) << s.content_type;
  ASSERT_EQ(s.framing_error, "") << s.raw;
  ASSERT_TRUE(s.done);
  ASSERT_GE(s.events.size(), 3u);
  // The role first, then content, a finish_reason, and the usage chunk last.
  EXPECT_EQ(s.events.front()["choices"][0]["delta"]["role"], "assistant");
  std::string id = s.events.front()["id"];
  EXPECT_EQ(id.rfind("chatcmpl-", 0), 0u);
  for (size_t i = 0; i + 1 < s.events.size(); ++i) {
    EXPECT_EQ(s.events[i]["id"], id);
    EXPECT_EQ(s.events[i]["object"], "chat.completion.chunk");
    EXPECT_TRUE(s.events[i].contains("usage") && s.events[i]["usage"].is_null());
    ASSERT_EQ(s.events[i]["choices"].size(), 1u);
  }
  const json& finish_chunk = s.events[s.events.size() - 2];
  EXPECT_EQ(finish_chunk["choices"][0]["finish_reason"], whole.body["choices"][0]["finish_reason"]);
  const json& usage = s.events.back();
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"], whole.body["usage"]);
  std::vector<std::string> texts = StreamedTexts(s, true);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], whole.body["choices"][0]["message"]["content"]);
}

TEST_F(DecoderEngineTest, CompletionStreamMatchesForEveryChoice) {
  json extra = {{"temperature", 0.7}, {"seed", 5}, {"n", 2}, {"ignore_eos", true}};
  auto whole = engine().Post("/v1/completions", CompletionBodyFor("one two", 10, extra));
  ASSERT_EQ(whole.status, 200) << whole.raw;
  json streamed = CompletionBodyFor("one two", 10, extra);
  streamed["stream"] = true;
  SseStream s = PostStream(engine().port(), "/v1/completions", streamed);
  ASSERT_EQ(s.framing_error, "") << s.raw;
  ASSERT_TRUE(s.done);
  for (const auto& e : s.events) {
    EXPECT_EQ(e["object"], "text_completion");
    EXPECT_FALSE(e.contains("usage"));  // only with stream_options.include_usage
  }
  std::vector<std::string> texts = StreamedTexts(s, false);
  ASSERT_EQ(texts.size(), 2u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(texts[i], whole.body["choices"][i]["text"]) << i;
}

TEST_F(DecoderEngineTest, StreamedEchoStartsWithThePrompt) {
  json body = CompletionBodyFor("echo me", 4, {{"echo", true}, {"logprobs", 1}, {"stream", true}});
  SseStream s = PostStream(engine().port(), "/v1/completions", body);
  ASSERT_EQ(s.framing_error, "") << s.raw;
  ASSERT_FALSE(s.events.empty());
  const json& first = s.events.front()["choices"][0];
  EXPECT_EQ(first["text"], "echo me");
  EXPECT_TRUE(first["logprobs"]["token_logprobs"][0].is_null());
}

// Polls /metrics until `name` reads `value` (bounded; not a timing assertion).
bool MetricBecomes(EngineProcess& engine, const std::string& name, double value) {
  for (int i = 0; i < 400; ++i) {
    if (engine.Metric(name) == value) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// A context long enough that a sequence cannot end before the client hangs up.
class LongDecoderEngineTest : public DecoderEngineTest {
 protected:
  std::vector<std::string> CheckpointArgs() const override {
    std::vector<std::string> args = TinyDecoderArgs();
    args.back() = "4096";  // --max-position
    return args;
  }
};

TEST_F(LongDecoderEngineTest, ClientHangingUpMidStreamFreesItsSequence) {
  json body = CompletionBodyFor("a long tale", 4000, {{"ignore_eos", true}, {"stream", true}});
  SseStream s = PostStream(engine().port(), "/v1/completions", body, /*hang_up_after=*/2);
  EXPECT_FALSE(s.transport_ok);  // we hung up
  EXPECT_EQ(s.events.size(), 2u);
  EXPECT_TRUE(MetricBecomes(engine(), "vllm:num_requests_running", 0)) << engine().Log();
  EXPECT_TRUE(MetricBecomes(engine(), "vllm:kv_cache_usage_perc", 0)) << engine().Log();
  // Cancelled, not run to its end.
  EXPECT_EQ(engine().Metric("vllm:request_success_total", "finished_reason=\"abort\""), 1)
      << engine().Log();
  EXPECT_NE(engine().Log().find("client went away"), std::string::npos);
  // And the engine goes on serving.
  auto r = engine().Post("/v1/completions", CompletionBodyFor("after", 3));
  EXPECT_EQ(r.status, 200) << r.raw;
}

TEST_F(LongDecoderEngineTest, ClientHangingUpOnAWholeAnswerCancelsIt) {
  // httplib 0.11 gives handlers no socket; lib/http's probe finds it, so a
  // non-streamed request is cancelled too.
  std::thread client([&] {
    http::Client c("127.0.0.1", engine().port(), /*timeout_ms=*/100);
    auto r = c.Send("POST", "/v1/completions",
                    CompletionBodyFor("a long tale", 4000, {{"ignore_eos", true}}).dump());
    EXPECT_FALSE(r.ok());  // timed out: the client gave up and closed
  });
  client.join();
  bool aborted = false;
  for (int i = 0; i < 400 && !aborted; ++i) {
    aborted = engine().Metric("vllm:request_success_total", "finished_reason=\"abort\"") == 1;
    if (!aborted) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(aborted) << engine().Log();
  EXPECT_TRUE(MetricBecomes(engine(), "vllm:kv_cache_usage_perc", 0));
}

// One sequence running and one queued at most: a third request is refused
// with 429 in OpenAI's shape, and the engine serves again once they are gone.
class FullQueueEngineTest : public LongDecoderEngineTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--max-num-seqs", "1", "--max-waiting", "1"};
  }
};

// Streams a long completion, reading until `release` is set, then hangs up.
std::thread HoldStream(int port, const std::atomic<bool>& release) {
  return std::thread([port, &release] {
    http::Client c("127.0.0.1", port, /*timeout_ms=*/60000);
    const json body = CompletionBodyFor("hold", 4000, {{"ignore_eos", true}, {"stream", true}});
    (void)c.SendStreaming("POST", "/v1/completions", body.dump(), {},
                          [&](std::string_view) { return !release.load(); });
  });
}

TEST_F(FullQueueEngineTest, RequestBeyondTheQueueGets429) {
  std::atomic<bool> release{false};
  std::thread running = HoldStream(engine().port(), release);
  ASSERT_TRUE(MetricBecomes(engine(), "vllm:num_requests_running", 1)) << engine().Log();
  std::thread queued = HoldStream(engine().port(), release);
  const bool queue_full = MetricBecomes(engine(), "vllm:num_requests_waiting", 1);

  auto refused = engine().Post("/v1/completions", CompletionBodyFor("one more", 3));
  release = true;
  running.join();
  queued.join();
  ASSERT_TRUE(queue_full) << engine().Log();
  EXPECT_EQ(refused.status, 429) << refused.raw;
  EXPECT_EQ(refused.body["error"]["type"], "rate_limit_error") << refused.raw;
  EXPECT_EQ(refused.body["error"]["code"], "queue_full") << refused.raw;

  EXPECT_TRUE(MetricBecomes(engine(), "vllm:num_requests_running", 0)) << engine().Log();
  EXPECT_TRUE(MetricBecomes(engine(), "vllm:kv_cache_usage_perc", 0)) << engine().Log();
  auto after = engine().Post("/v1/completions", CompletionBodyFor("after", 3));
  EXPECT_EQ(after.status, 200) << after.raw;
}

}  // namespace
}  // namespace hai::engine::testing
