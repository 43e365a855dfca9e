#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemons/engine/openai_error.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/tokenizer/chat_template.h"

namespace hai::engine {

// Turns chat messages and completions prompts into token ids the way the
// checkpoint expects, and fits them to the model's context. Immutable; safe
// from every HTTP thread (the tokenizer is).
class PromptBuilder {
 public:
  explicit PromptBuilder(const checkpoint::Checkpoint* ckpt);

  // The checkpoint's chat format with the generation prompt, encoded with
  // special tokens, BOS prepended when the checkpoint adds one and the
  // template did not already write it.
  std::vector<int32_t> Chat(const std::vector<tokenizer::ChatMessage>& messages) const;
  // A raw completions prompt, encoded the same way.
  std::vector<int32_t> Text(const std::string& text) const;

  // Every id inside the vocabulary.
  std::optional<ApiError> CheckIds(const std::vector<int32_t>& ids, const std::string& param) const;
  // The completion's token limit for a prompt of `prompt_tokens`: `requested`
  // when prompt + requested fits the context, else a context_length_exceeded
  // error naming the numbers; without a request, `default_max` (0: all that
  // remains) capped by what remains.
  std::optional<ApiError> FitContext(int prompt_tokens, std::optional<int> requested,
                                     int default_max, const std::string& prompt_word,
                                     int* max_tokens) const;

  int context() const { return context_; }
  int vocab() const { return vocab_; }

 private:
  std::vector<int32_t> WithBos(std::vector<int32_t> ids) const;

  const checkpoint::Checkpoint* ckpt_;
  int context_;
  int vocab_;
};

}  // namespace hai::engine
