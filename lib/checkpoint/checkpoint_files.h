#pragma once

// Readers for the small JSON files beside the weights: tokenizer_config.json,
// generation_config.json (and the same id keys in config.json). Internal to
// OpenCheckpoint; separate so that each rule is tested on its own.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::checkpoint {

// What tokenizer_config.json says, as text: tokens are resolved to ids later,
// against the tokenizer. Absent keys stay empty.
struct TokenizerConfigFile {
  std::optional<std::string> bos_token;
  std::optional<std::string> eos_token;
  std::optional<std::string> pad_token;
  std::optional<bool> add_bos_token;
  std::string chat_template;  // "" when there is none
};

// `text` of tokenizer_config.json; errors name `file` and the key.
Result<TokenizerConfigFile> ParseTokenizerConfig(const std::string& text, const std::string& file);

// Special ids and sampling suggestions from generation_config.json; the id
// keys (bos_token_id, eos_token_id as an int or a list, pad_token_id) are
// read from config.json with the same rules.
struct GenerationConfigFile {
  std::optional<int32_t> bos_token_id;
  std::optional<std::vector<int32_t>> eos_token_ids;
  std::optional<int32_t> pad_token_id;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
};

Result<GenerationConfigFile> ParseGenerationConfig(const std::string& text,
                                                   const std::string& file);
// Only the three id keys (for config.json, whose other keys are not ours).
Result<GenerationConfigFile> ParseSpecialIds(const std::string& text, const std::string& file);

// Qwen's default system prompt when a ChatML template writes one for
// conversations without their own ("You are a helpful assistant." and its
// variants); "" unless a literal system message containing that phrase is
// found in the template text.
std::string ExtractDefaultSystem(const std::string& chat_template);

// Whether tokenizer.json's post_processor prepends `bos_token` to a single
// sequence (Llama 3 adds BOS that way rather than through add_bos_token).
bool PostProcessorAddsBos(const std::string& tokenizer_json, const std::string& bos_token);

}  // namespace hai::checkpoint
