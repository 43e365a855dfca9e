#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lib/base/status.h"
#include "lib/tokenizer/chat_template.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::gateway {

// A model's tokenizer as hai-engine uses it to count a prompt: chat
// messages rendered with the model's chat format (the generation prompt
// added), prompts encoded with special tokens recognised, and the BOS token
// put first where the model's tokenizer_config.json (or tokenizer.json's
// post-processor) asks for it. Built from the two files' text; immutable,
// so one instance serves every thread.
class ModelTokenizer {
 public:
  // `config_json`: tokenizer_config.json's text, "" when the model has none
  // (ChatML, no BOS). Errors name `what` (the model) and the file.
  static Result<std::unique_ptr<ModelTokenizer>> Load(const std::string& tokenizer_json,
                                                      const std::string& config_json,
                                                      const std::string& what);

  // The prompt tokens of an OpenAI request body (chat messages, `prompt`,
  // embeddings' `input`, rerank's `query` and `documents`); nullopt when
  // the body is not one this can count (not JSON, or chat for a model
  // whose chat template is not one of ours).
  std::optional<int64_t> InputTokens(std::string_view request_body) const;
  // Generated text (special tokens spelled in it count as text, as the
  // engine leaves them out of what it sends).
  int64_t TextTokens(std::string_view text) const;

 private:
  ModelTokenizer() = default;
  int64_t Prompt(std::string_view text) const;

  std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
  std::optional<tokenizer::ChatFormat> chat_;  // nullopt: a template we cannot render
  std::string default_system_;
  std::optional<int32_t> bos_;  // put first, as the engine does
};

}  // namespace hai::gateway
