#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/tokenizer/chat_template.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::checkpoint {

// What tokenizer_config.json and generation_config.json add: special ids and
// the chat format. Missing files give the defaults below.
struct GenerationDefaults {
  int32_t bos_token_id = -1;
  std::vector<int32_t> eos_token_ids;  // generation stops on any of them
  int32_t pad_token_id = -1;
  bool add_bos = false;  // prepend BOS when encoding a prompt
  tokenizer::ChatFormat chat_format = tokenizer::ChatFormat::kChatML;
  std::string default_system;
  // Sampling defaults a checkpoint may suggest (OpenAI request fields win).
  double temperature = 1.0;
  double top_p = 1.0;
  int top_k = 0;
};

// A Hugging Face-layout directory, opened and cross-checked: the tokenizer's
// vocabulary must fit config.json's vocab_size, special ids must exist.
// Weights stay memory-mapped in `tensors`.
struct Checkpoint {
  std::string dir;
  ModelConfig config;
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;
  GenerationDefaults generation;
  TensorSet tensors;
};

// Errors name the file at fault (and the key or tensor): a missing or
// unreadable config.json, tokenizer.json or weight file, a corrupt one, a
// tokenizer larger than vocab_size, a special id out of range, a weight that
// is missing or has the wrong shape or a dtype other than F32/F16/BF16.
Result<std::unique_ptr<Checkpoint>> OpenCheckpoint(const std::string& dir);

// The weight `name` (as ExpectedTensors() spells it) with `shape`, in a
// floating-point dtype. BERT weights are also found under the "bert." prefix
// of BertForSequenceClassification checkpoints.
Result<const TensorView*> RequireWeight(const Checkpoint& checkpoint, const std::string& name,
                                        const std::vector<int64_t>& shape);

}  // namespace hai::checkpoint
