#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "lib/base/status.h"

namespace hai::portal {

// What an import learns from a checkpoint folder's own files.
struct CheckpointFacts {
  std::string model_type;                 // config.json model_type
  std::string architecture;               // config.json architectures[0], "" when absent
  bool builtin_ready = false;             // hai-engine can load it (checked by opening it)
  std::string builtin_note;               // why not, when it cannot
  std::optional<ModelCategory> category;  // what config.json implies
  std::vector<std::string> capabilities;  // implied: chat (a chat template), vision
  std::optional<int64_t> context_length;  // max_position_embeddings or seq_length
  std::optional<double> params_b;         // counted from the weights' shapes
};

// config.json model_type values an import accepts: those hai-engine runs
// (llama, qwen2, bert) and the mainstream ones other engine profiles serve.
std::span<const std::string_view> RecognisedModelTypes();

// Checks a Hugging Face–layout model folder (config.json, *.safetensors,
// tokenizer) before it is made visible:
//  - config.json parses and names a recognised model_type;
//  - every *.safetensors file (any depth) has a valid header that the file's
//    size covers, and a model.safetensors.index.json agrees with the shards;
//  - tokenizer.json loads (or, for models that ship none, tokenizer.model,
//    vocab.json with merges.txt, or vocab.txt is present);
//  - when hai-engine supports the model_type and config.json's features,
//    the whole checkpoint opens as the engine would open it (shapes, vocab).
// Errors are 400s (field `path`) naming the file at fault and the reason.
Result<CheckpointFacts> CheckCheckpoint(const std::string& dir);

}  // namespace hai::portal
