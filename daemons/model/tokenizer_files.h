#pragma once

#include <string>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::model {

// tokenizer.json learnt from the built-in corpus with the architecture's
// special tokens. When the corpus cannot supply `vocab_size` tokens, the
// largest tokenizer it can is returned: the embedding's remaining rows are
// padding the tokenizer never produces (as in Qwen's own checkpoints).
Result<std::string> TrainTokenizerJson(checkpoint::Arch arch, int vocab_size);

// tokenizer_config.json: special tokens by text, add_bos_token, the chat
// template (decoders) and model_max_length.
std::string TokenizerConfigJson(const checkpoint::ModelConfig& config);

// generation_config.json for a decoder: BOS and the EOS list by id.
Result<std::string> GenerationConfigJson(const checkpoint::ModelConfig& config,
                                         const tokenizer::Tokenizer& tokenizer);

}  // namespace hai::model
