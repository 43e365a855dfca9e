#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemons/engine/generation.h"
#include "daemons/engine/openai_error.h"
#include "lib/tokenizer/chat_template.h"

namespace hai::engine {

// Limits on what one request may ask for.
inline constexpr int kMaxN = 8;         // sequences per prompt
inline constexpr int kMaxChoices = 64;  // prompts × n
inline constexpr size_t kMaxStopStrings = 16;
inline constexpr size_t kMaxStopTokenIds = 64;
inline constexpr int kMaxLogprobs = 20;
inline constexpr size_t kMaxPrompts = 64;  // completions prompt arrays
inline constexpr size_t kMaxMessages = 4096;

// One completions prompt: text, or token ids used as they are.
struct PromptInput {
  bool is_tokens = false;
  std::string text;
  std::vector<int32_t> tokens;
};

// A /v1/chat/completions or /v1/completions request, validated in shape and
// range. What needs the model (token ids in the vocabulary, context length)
// is checked by the handler.
struct TextRequest {
  bool chat = false;
  std::string model;                             // "" when absent
  std::vector<tokenizer::ChatMessage> messages;  // chat
  std::vector<PromptInput> prompts;              // completions
  std::optional<int> max_tokens;                 // max_completion_tokens wins over max_tokens
  int n = 1;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  bool echo = false;           // completions: the prompt before the completion
  int logprobs = -1;           // >= 0: per-token logprobs with that many alternatives
  // Set only when the request gave them; the checkpoint's defaults fill the rest.
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  // Every other sampling field; max_tokens and the three above are resolved later.
  SamplingParams sampling;
};

// The served model's name is the only one; an empty request field means it.
// Another name is a 400 with code "model_not_found".
std::optional<ApiError> CheckModelName(const std::string& requested, const std::string& served);

std::optional<ApiError> ParseChatRequest(const std::string& body, TextRequest* out);
std::optional<ApiError> ParseCompletionRequest(const std::string& body, TextRequest* out);

}  // namespace hai::engine
