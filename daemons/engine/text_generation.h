#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemons/engine/generation_session.h"
#include "daemons/engine/openai_error.h"
#include "daemons/engine/openai_render.h"
#include "daemons/engine/openai_request.h"
#include "daemons/engine/prompt_builder.h"
#include "daemons/engine/step_loop.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/http/message.h"

namespace hai::engine {

// One prompt of a request as submitted.
struct SubmittedPrompt {
  std::vector<int32_t> tokens;
  std::string echo_text;  // completions with echo: the prompt as the client sees it
};

// One choice's progress; index = prompt × n + sample.
struct ChoiceProgress {
  int prompt = 0;
  std::string text;
  std::vector<transformer::TokenLogprob> logprobs;
  std::vector<transformer::TokenLogprob> prompt_logprobs;
  FinishReason finish = FinishReason::kNone;
  int completion_tokens = 0;
  bool started = false;  // streamed: the first event has been written
  std::unique_ptr<CompletionLogprobs> stream_logprobs;  // streamed completions
};

// A request in the step loop: what the collector or the streamer needs.
// Owned by one HTTP thread at a time.
struct RunningGeneration {
  TextRequest request;
  ResponseHeader header;
  std::vector<SubmittedPrompt> prompts;
  std::vector<ChoiceProgress> choices;
  std::unique_ptr<GenerationSession> session;
  Status error;  // the first failed event

  Usage usage() const;
  // Folds one event into its choice; false when it ends the request early
  // (an error, or an abort the engine decided).
  bool Apply(int index, const GenerationEvent& event);
};

struct TextGenerationDeps {
  const checkpoint::Checkpoint* ckpt = nullptr;
  StepLoop* loop = nullptr;
  std::string served_name;
  const std::atomic<bool>* stopping = nullptr;  // set while the engine shuts down
};

// POST /v1/chat/completions and /v1/completions: parse, build prompts, submit
// to the step loop, then answer whole or as server-sent events. A client that
// disconnects cancels its sequences. Thread-safe: one instance serves every
// HTTP thread (per-request state lives in RunningGeneration).
class TextGeneration {
 public:
  explicit TextGeneration(TextGenerationDeps deps);

  http::Response Chat(http::Request& req);
  http::Response Completions(http::Request& req);

 private:
  http::Response Run(http::Request& req, TextRequest parsed);
  std::optional<ApiError> Prepare(RunningGeneration* run,
                                  std::vector<GenerationRequest>* requests) const;
  SamplingParams Sampling(const TextRequest& request, int max_tokens) const;
  http::Response Collect(http::Request& req, RunningGeneration* run) const;
  http::Response Stream(http::Request& req, std::shared_ptr<RunningGeneration> run) const;
  // Writes the whole event stream; false when it ended without [DONE].
  bool Produce(RunningGeneration& run, const http::StreamWrite& write,
               const std::string& request_id) const;
  nlohmann::json ChoiceJson(const RunningGeneration& run, int index) const;
  // Streamed chunks for one event of choice `index` ("" when nothing to send).
  std::string Chunks(RunningGeneration& run, int index, const GenerationEvent& event) const;

  TextGenerationDeps deps_;
  PromptBuilder prompts_;
};

// How often waiting handlers look at the client and the engine's state.
inline constexpr std::chrono::milliseconds kPollInterval{100};

}  // namespace hai::engine
