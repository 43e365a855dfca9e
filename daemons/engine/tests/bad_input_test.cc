// Bad requests get OpenAI-shaped errors and the engine keeps serving; bad
// checkpoints stop the engine with the file named; /metrics passes promtool.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemons/engine/tests/engine_process.h"

namespace hai::engine::testing {
namespace {

using nlohmann::json;

TEST_F(DecoderEngineTest, BadRequestsAreOpenAiErrorsAndServingGoesOn) {
  EngineProcess& e = engine();
  ExpectOpenAiError(e, e.PostRaw("/v1/chat/completions", "{not json"), 400, "invalid_json");
  ExpectOpenAiError(e, e.PostRaw("/v1/chat/completions", "[1,2]"), 400, "invalid_json");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", ChatBody("x", 4, {{"model", "gpt-4"}})), 400,
                    "model_not_found");
  ExpectOpenAiError(e, e.Post("/v1/completions", CompletionBodyFor("x", 4, {{"model", "gpt"}})),
                    400, "model_not_found");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", ChatBody("x", 4, {{"temperature", "hot"}})),
                    400, "invalid_type");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", ChatBody("x", 4, {{"temperature", -1}})), 400,
                    "invalid_value");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", ChatBody("x", 4, {{"n", 9}})), 400,
                    "invalid_value");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", ChatBody("x", 4, {{"functions", {}}})), 400,
                    "unknown_parameter");
  ExpectOpenAiError(e, e.Post("/v1/chat/completions", json{{"model", "tiny"}}), 400,
                    "missing_required_parameter");
  ExpectOpenAiError(e, e.Post("/v1/completions", CompletionBodyFor({1, 99999}, 4)), 400,
                    "invalid_value");
  ExpectOpenAiError(
      e, e.Post("/v1/completions", CompletionBodyFor("x", 4, {{"stop_token_ids", {70000}}})), 400,
      "invalid_value");

  // A prompt longer than the context (160), and max_tokens beyond what remains.
  std::string long_prompt;
  for (int i = 0; i < 300; ++i) {
    long_prompt += 'w';
    long_prompt += std::to_string(i);
    long_prompt += ' ';
  }
  auto too_long = e.Post("/v1/completions", CompletionBodyFor(long_prompt, 4));
  ExpectOpenAiError(e, too_long, 400, "context_length_exceeded");
  EXPECT_NE(too_long.body["error"]["message"].get<std::string>().find("160"), std::string::npos)
      << too_long.raw;
  auto too_many = e.Post("/v1/completions", CompletionBodyFor("hello", 159));
  ExpectOpenAiError(e, too_many, 400, "context_length_exceeded");
  std::string message = too_many.body["error"]["message"];
  EXPECT_NE(message.find("160"), std::string::npos) << message;
  EXPECT_NE(message.find("159"), std::string::npos) << message;
  auto chat_long = e.Post("/v1/chat/completions", ChatBody(long_prompt, 4));
  ExpectOpenAiError(e, chat_long, 400, "context_length_exceeded");

  // Encoder routes on a decoder.
  ExpectOpenAiError(e, e.Post("/v1/embeddings", json{{"model", "tiny"}, {"input", "x"}}), 400,
                    "unsupported_operation");
  ExpectOpenAiError(
      e, e.Post("/v1/rerank", json{{"model", "tiny"}, {"query", "q"}, {"documents", {"d"}}}), 400,
      "unsupported_operation");

  // After all that, still the same answers.
  auto ok = e.Post("/v1/chat/completions", ChatBody("still here?", 4));
  EXPECT_EQ(ok.status, 200) << ok.raw;
}

// Runs promtool on `text`; its exit status and output.
std::pair<int, std::string> Promtool(const std::string& text, const std::string& dir) {
  const std::string out = dir + "/promtool.out";
  FILE* pipe = popen(("/usr/bin/promtool check metrics >" + out + " 2>&1").c_str(), "w");
  if (!pipe) return {-1, "cannot run promtool"};
  std::fwrite(text.data(), 1, text.size(), pipe);
  int raw = pclose(pipe);
  std::ifstream in(out);
  std::stringstream s;
  s << in.rdbuf();
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, s.str()};
}

TEST_F(DecoderEngineTest, MetricsPassPromtool) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "no /usr/bin/promtool";
  // Some traffic first, so histograms and counters have series.
  ASSERT_EQ(engine().Post("/v1/completions", CompletionBodyFor("count me", 4)).status, 200);
  auto metrics = engine().Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* family :
       {"vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
        "vllm:prompt_tokens_total", "vllm:generation_tokens_total",
        "vllm:time_to_first_token_seconds", "vllm:e2e_request_latency_seconds",
        "hai_engine_http_requests_total", "hai_engine_model_info"})
    EXPECT_NE(metrics.raw.find("# TYPE " + std::string(family) + " "), std::string::npos) << family;
  TempDir dir;
  auto [status, output] = Promtool(metrics.raw, dir.path());
  // Exit 1 is a format error. Exit 3 is lint only: allowed solely for the
  // colon in vLLM's names (vllm:…), which hai-engine keeps on purpose so one
  // metrics reader serves every engine.
  ASSERT_TRUE(status == 0 || status == 3) << status << "\n" << output;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    EXPECT_EQ(line.rfind("vllm:", 0), 0u) << line;
    EXPECT_NE(line.find("metric names should not contain ':'"), std::string::npos) << line;
  }
}

// Starts an engine on `dir` and expects it to exit non-zero naming `file`.
void ExpectRefusedNaming(const std::string& dir, const std::string& file) {
  EngineProcess engine(dir, "broken");
  EXPECT_FALSE(engine.WaitReady());
  int status = engine.WaitExit();
  EXPECT_NE(status, 0);
  EXPECT_NE(status, -1) << "still running";
  EXPECT_LT(status, 128) << "crashed rather than exiting: " << engine.Log();
  EXPECT_NE(engine.Log().find(file), std::string::npos) << engine.Log();
}

TEST(CorruptCheckpointTest, TruncatedWeightsAreNamed) {
  TempDir ckpt;
  ASSERT_TRUE(MakeCheckpoint(ckpt.path(), TinyDecoderArgs()));
  std::string weights;
  for (const auto& entry : std::filesystem::directory_iterator(ckpt.path()))
    if (entry.path().extension() == ".safetensors") weights = entry.path().string();
  ASSERT_FALSE(weights.empty());
  std::filesystem::resize_file(weights, std::filesystem::file_size(weights) / 2);
  ExpectRefusedNaming(ckpt.path(), std::filesystem::path(weights).filename().string());
}

TEST(CorruptCheckpointTest, BrokenConfigIsNamed) {
  TempDir ckpt;
  ASSERT_TRUE(MakeCheckpoint(ckpt.path(), TinyDecoderArgs()));
  std::ofstream(ckpt.path() + "/config.json", std::ios::trunc) << "{\"model_type\": ";
  ExpectRefusedNaming(ckpt.path(), "config.json");
}

TEST(CorruptCheckpointTest, MissingDirectoryIsNamed) {
  TempDir parent;
  ExpectRefusedNaming(parent.path() + "/nowhere", "nowhere");
}

}  // namespace
}  // namespace hai::engine::testing
