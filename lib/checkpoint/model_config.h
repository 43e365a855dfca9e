#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::checkpoint {

enum class Arch { kLlama, kQwen2, kBert };
std::string_view ArchName(Arch arch);  // "llama", "qwen2", "bert"

// What config.json says about the network, in the fields the engine uses.
// Hugging Face names: model_type / architectures, vocab_size, hidden_size,
// intermediate_size, num_hidden_layers, num_attention_heads,
// num_key_value_heads, head_dim, max_position_embeddings, rope_theta,
// rms_norm_eps / layer_norm_eps, tie_word_embeddings, attention_bias,
// torch_dtype; BERT adds type_vocab_size and, for a cross-encoder, num_labels.
struct ModelConfig {
  Arch arch = Arch::kLlama;
  std::string architecture;  // architectures[0], e.g. "Qwen2ForCausalLM"
  int vocab_size = 0;
  int hidden_size = 0;
  int intermediate_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;  // hidden_size / num_heads unless given
  int max_position = 0;
  double rope_theta = 10000.0;
  double norm_eps = 1e-6;
  bool tie_word_embeddings = false;
  bool attention_bias = false;  // Qwen2: q/k/v projections carry a bias
  std::string torch_dtype = "float32";
  // BERT
  int type_vocab_size = 2;
  int num_labels = 0;  // > 0: a sequence-classification head (cross-encoder rerank)
  bool is_cross_encoder() const { return arch == Arch::kBert && num_labels > 0; }

  int64_t ParameterCount() const;
};

// Parses and checks config.json text; errors name `file` and the key.
Result<ModelConfig> ParseModelConfig(const std::string& json_text, const std::string& file);
std::string ModelConfigToJson(const ModelConfig& config);

}  // namespace hai::checkpoint
