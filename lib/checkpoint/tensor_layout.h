#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/checkpoint/model_config.h"

namespace hai::checkpoint {

// What a tensor is for, so a writer knows how to initialise it and a reader
// how to use it.
enum class TensorRole { kEmbedding, kLinearWeight, kBias, kNormWeight, kNormBias };

struct ExpectedTensor {
  std::string name;  // Hugging Face name, e.g. "model.layers.0.self_attn.q_proj.weight"
  std::vector<int64_t> shape;
  TensorRole role;
};

// Every tensor a checkpoint of this configuration holds, in Hugging Face
// naming: Llama/Qwen2 (model.embed_tokens, model.layers.N.{input_layernorm,
// self_attn.{q,k,v,o}_proj (+ q/k/v bias when attention_bias),
// post_attention_layernorm, mlp.{gate,up,down}_proj}, model.norm, lm_head
// unless tied) and BERT (embeddings.*, encoder.layer.N.*, and for a
// cross-encoder pooler.dense + classifier). BERT names are written without the
// "bert." prefix; readers accept both (see BertName()). Linear weights are
// [out_features, in_features] as in PyTorch.
std::vector<ExpectedTensor> ExpectedTensors(const ModelConfig& config);

// The name under which `name` is stored in a BERT checkpoint that uses the
// "bert." prefix (BertForSequenceClassification): "bert." + name, except the
// classifier.
std::string BertPrefixed(const std::string& name);

}  // namespace hai::checkpoint
