#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"

namespace hai::model {

// `hai-model init` flags (names fixed by the issue). Zero means "the default
// for this architecture" where a default exists.
struct InitOptions {
  std::string out;              // --out DIR
  std::string arch;             // --arch qwen2|llama|bert
  int layers = 0;               // --layers
  int hidden = 0;               // --hidden
  int heads = 0;                // --heads
  int kv_heads = 0;             // --kv-heads (default: --heads)
  int vocab = 0;                // --vocab
  uint64_t seed = 0;            // --seed
  int intermediate = 0;         // --intermediate (bert 4H; decoders 8H/3 up to a multiple of 64)
  int max_position = 0;         // --max-position (decoders 8192, bert 512)
  double rope_theta = 0;        // --rope-theta (qwen2 1e6, llama 500000)
  int num_labels = 0;           // --num-labels (bert: cross-encoder head)
  std::string dtype = "f32";    // --dtype f32|bf16|f16
  bool tie_embeddings = false;  // --tie-embeddings (decoders)
  bool force = false;           // --force: replace the checkpoint files in a non-empty DIR
};

// The special tokens each architecture's tokenizer carries, in id order.
std::vector<std::string> SpecialTokens(checkpoint::Arch arch);

// The smallest --vocab accepted: 256 byte tokens + the specials + some merges.
int MinimumVocab(checkpoint::Arch arch);

// Checks the flags (errors name the flag) and fills in the defaults.
Result<checkpoint::ModelConfig> ConfigFromOptions(const InitOptions& options);

// "f32" → F32 etc.
Result<checkpoint::DType> WeightDType(const std::string& name);

}  // namespace hai::model
