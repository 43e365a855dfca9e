#include "daemons/engine/prompt_builder.h"

#include <algorithm>

namespace hai::engine {

PromptBuilder::PromptBuilder(const checkpoint::Checkpoint* ckpt)
    : ckpt_(ckpt),
      context_(ckpt->config.max_position),
      vocab_(std::min(ckpt->config.vocab_size, ckpt->tokenizer->vocab_size())) {}

std::vector<int32_t> PromptBuilder::WithBos(std::vector<int32_t> ids) const {
  const auto& g = ckpt_->generation;
  if (g.add_bos && g.bos_token_id >= 0 && (ids.empty() || ids.front() != g.bos_token_id))
    ids.insert(ids.begin(), g.bos_token_id);
  return ids;
}

std::vector<int32_t> PromptBuilder::Chat(
    const std::vector<tokenizer::ChatMessage>& messages) const {
  const auto& g = ckpt_->generation;
  std::string text = tokenizer::RenderChat(g.chat_format, messages,
                                           /*add_generation_prompt=*/true, g.default_system);
  return WithBos(ckpt_->tokenizer->Encode(text, /*special=*/true));
}

std::vector<int32_t> PromptBuilder::Text(const std::string& text) const {
  // Like Hugging Face tokenizers, special tokens written in the prompt count.
  return WithBos(ckpt_->tokenizer->Encode(text, /*special=*/true));
}

std::optional<ApiError> PromptBuilder::CheckIds(const std::vector<int32_t>& ids,
                                                const std::string& param) const {
  for (int32_t id : ids) {
    if (id < 0 || id >= vocab_)
      return InvalidRequest("invalid_value",
                            "token id " + std::to_string(id) + " in '" + param +
                                "' is outside the vocabulary (0.." + std::to_string(vocab_ - 1) +
                                ")",
                            param);
  }
  return std::nullopt;
}

std::optional<ApiError> PromptBuilder::FitContext(int prompt_tokens, std::optional<int> requested,
                                                  int default_max, const std::string& prompt_word,
                                                  int* max_tokens) const {
  if (prompt_tokens == 0)
    return InvalidRequest("invalid_value", "the " + prompt_word + " is empty (0 tokens)");
  int64_t remaining = int64_t(context_) - prompt_tokens;
  if (requested) {
    if (int64_t(prompt_tokens) + *requested > context_)
      return InvalidRequest("context_length_exceeded",
                            "This model's maximum context length is " + std::to_string(context_) +
                                " tokens. However, you requested " +
                                std::to_string(int64_t(prompt_tokens) + *requested) + " tokens (" +
                                std::to_string(prompt_tokens) + " in the " + prompt_word + ", " +
                                std::to_string(*requested) +
                                " in the completion). Please reduce the length of the " +
                                prompt_word + " or completion.",
                            "max_tokens");
    *max_tokens = *requested;
    return std::nullopt;
  }
  if (remaining < 1)
    return InvalidRequest("context_length_exceeded",
                          "This model's maximum context length is " + std::to_string(context_) +
                              " tokens. However, your " + prompt_word + " resulted in " +
                              std::to_string(prompt_tokens) +
                              " tokens, leaving no room for a completion. Please reduce the "
                              "length of the " +
                              prompt_word + ".",
                          prompt_word == "messages" ? "messages" : "prompt");
  *max_tokens = default_max > 0 ? static_cast<int>(std::min<int64_t>(default_max, remaining))
                                : static_cast<int>(remaining);
  return std::nullopt;
}

}  // namespace hai::engine
