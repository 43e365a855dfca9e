// config.json as transformers writes it for each architecture (sorted keys,
// the fields its config classes read), so that a checkpoint made by
// hai-model init also loads with AutoModel.
#include <nlohmann/json.hpp>

#include "lib/checkpoint/model_config.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;

json DecoderJson(const ModelConfig& c) {
  json out = {
      {"architectures", json::array({c.architecture})},
      {"attention_dropout", 0.0},
      {"hidden_act", "silu"},
      {"hidden_size", c.hidden_size},
      {"initializer_range", 0.02},
      {"intermediate_size", c.intermediate_size},
      {"max_position_embeddings", c.max_position},
      {"model_type", ArchName(c.arch)},
      {"num_attention_heads", c.num_heads},
      {"num_hidden_layers", c.num_layers},
      {"num_key_value_heads", c.num_kv_heads},
      {"rms_norm_eps", c.norm_eps},
      {"rope_theta", c.rope_theta},
      {"tie_word_embeddings", c.tie_word_embeddings},
      {"use_cache", true},
      {"vocab_size", c.vocab_size},
  };
  if (c.arch == Arch::kLlama) {
    out["attention_bias"] = c.attention_bias;
    out["head_dim"] = c.head_dim;
    out["mlp_bias"] = false;
    out["pretraining_tp"] = 1;
    out["rope_scaling"] = nullptr;
  } else {
    // Qwen2's q/k/v bias is implied by the model type; no sliding window.
    out["use_sliding_window"] = false;
    out["sliding_window"] = c.max_position;
    out["max_window_layers"] = c.num_layers;
    if (c.head_dim * c.num_heads != c.hidden_size) out["head_dim"] = c.head_dim;
  }
  return out;
}

json BertJson(const ModelConfig& c) {
  json out = {
      {"architectures", json::array({c.architecture})},
      {"attention_probs_dropout_prob", 0.1},
      {"classifier_dropout", nullptr},
      {"hidden_act", "gelu"},
      {"hidden_dropout_prob", 0.1},
      {"hidden_size", c.hidden_size},
      {"initializer_range", 0.02},
      {"intermediate_size", c.intermediate_size},
      {"layer_norm_eps", c.norm_eps},
      {"max_position_embeddings", c.max_position},
      {"model_type", "bert"},
      {"num_attention_heads", c.num_heads},
      {"num_hidden_layers", c.num_layers},
      {"position_embedding_type", "absolute"},
      {"type_vocab_size", c.type_vocab_size},
      {"use_cache", true},
      {"vocab_size", c.vocab_size},
  };
  if (c.num_labels > 0) {
    // transformers derives num_labels from id2label.
    json id2label = json::object(), label2id = json::object();
    for (int i = 0; i < c.num_labels; ++i) {
      std::string label = "LABEL_" + std::to_string(i);
      id2label[std::to_string(i)] = label;
      label2id[label] = i;
    }
    out["id2label"] = id2label;
    out["label2id"] = label2id;
  }
  return out;
}

}  // namespace

std::string ModelConfigToJson(const ModelConfig& config) {
  json out = config.arch == Arch::kBert ? BertJson(config) : DecoderJson(config);
  out["torch_dtype"] = config.torch_dtype;
  return out.dump(2) + "\n";
}

}  // namespace hai::checkpoint
