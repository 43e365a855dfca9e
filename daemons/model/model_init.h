#pragma once

#include <cstdint>
#include <string>

#include "daemons/model/init_options.h"
#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"

namespace hai::model {

// What `hai-model init` made.
struct InitSummary {
  checkpoint::ModelConfig config;
  int64_t parameters = 0;
  int tokenizer_vocab = 0;  // may be below config.vocab_size (see TrainTokenizerJson)
  int64_t weight_bytes = 0;
};

// Writes a complete Hugging Face-layout checkpoint to options.out:
// config.json, model.safetensors (deterministic weights from --seed),
// tokenizer.json, tokenizer_config.json and, for decoders,
// generation_config.json — then opens it with OpenCheckpoint as a check.
// A non-empty directory is refused unless options.force, which replaces the
// checkpoint files there (other files are left alone).
Result<InitSummary> InitModel(const InitOptions& options);

}  // namespace hai::model
