#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

// OpenAI / vLLM sampling fields, already validated by the HTTP layer.
struct SamplingParams {
  double temperature = 1.0;  // 0: greedy
  double top_p = 1.0;
  int top_k = 0;  // 0 or -1: off
  double min_p = 0.0;
  double repetition_penalty = 1.0;  // prompt + output tokens (HF semantics)
  double presence_penalty = 0.0;    // output tokens (OpenAI semantics)
  double frequency_penalty = 0.0;   // output tokens
  int max_tokens = 16;
  int min_tokens = 0;
  std::vector<std::string> stop;        // strings; not included in the text
  std::vector<int32_t> stop_token_ids;  // in addition to the model's EOS ids
  bool ignore_eos = false;
  bool include_stop_str_in_output = false;
  std::optional<uint64_t> seed;  // same seed + same prompt → same output
  int logprobs = -1;             // ≥ 0: chosen token's logprob + that many alternatives
  bool skip_special_tokens = true;
};

struct GenerationRequest {
  std::string request_id;
  std::vector<int32_t> prompt;
  SamplingParams sampling;
  int prompt_logprobs = -1;  // ≥ 0: log-probabilities of the prompt's tokens (echo)
};

enum class FinishReason { kNone, kStop, kLength, kAbort };
std::string_view FinishReasonName(FinishReason reason);  // "stop", "length", "abort"

// What the step loop reports to the request's owner, in order: zero or more
// deltas, then exactly one event with `finish != kNone` (or an error).
struct GenerationEvent {
  std::vector<int32_t> tokens;  // new output tokens in this event
  std::string text;             // their text, stop strings and partial UTF-8 held back
  // Per token when asked: the raw model's log-probability of the token and
  // its `logprobs` best alternatives (which may include the token itself).
  std::vector<transformer::TokenLogprob> logprobs;
  // First event only, when asked: one entry per prompt token; the first token
  // has no context, so its entry has logprob 0 and no alternatives.
  std::vector<transformer::TokenLogprob> prompt_logprobs;
  FinishReason finish = FinishReason::kNone;
  // The stop string that ended it, or a stop_token_ids token in decimal (also
  // in stop_token_id); empty for EOS, length and abort, like vLLM's None.
  std::string stop_reason;
  int32_t stop_token_id = -1;
  int prompt_tokens = 0;
  int completion_tokens = 0;  // so far
  Status error;               // not OK: the request failed; no further events
};

// Called on the step-loop thread (at shutdown: on the thread destroying the
// loop), never under the loop's lock, so it may call Submit() or Cancel();
// must not block for long.
using EventSink = std::function<void(GenerationEvent&&)>;

}  // namespace hai::engine
