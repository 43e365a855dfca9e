#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/transformer/decoder_model.h"

namespace hai::transformer {

enum class Pooling { kMean, kCls };

// A BERT-style encoder (post-LayerNorm, GELU, learned positions, token types)
// for embeddings and, with a classification head, cross-encoder reranking.
class EncoderModel {
 public:
  static Result<std::unique_ptr<EncoderModel>> Load(const checkpoint::ModelConfig& config,
                                                    const checkpoint::TensorSet& tensors,
                                                    const ModelOptions& options);
  virtual ~EncoderModel() = default;

  virtual const checkpoint::ModelConfig& config() const = 0;
  // One L2-normalised vector per input (token ids include [CLS] … [SEP]).
  virtual Result<std::vector<std::vector<float>>> Embed(
      std::span<const std::vector<int32_t>> inputs, Pooling pooling) = 0;
  // Relevance logits of (query, document) pairs already joined as
  // [CLS] q [SEP] d [SEP] with `token_types` marking the document part.
  struct Pair {
    std::vector<int32_t> tokens;
    std::vector<int32_t> token_types;
  };
  virtual Result<std::vector<float>> Score(std::span<const Pair> pairs) = 0;
};

}  // namespace hai::transformer
