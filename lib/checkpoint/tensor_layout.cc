// The Hugging Face tensor names and shapes of each architecture.
#include "lib/checkpoint/tensor_layout.h"

namespace hai::checkpoint {
namespace {

using Shape = std::vector<int64_t>;

void AddDecoderLayer(const ModelConfig& c, int layer, std::vector<ExpectedTensor>* out) {
  const int64_t hidden = c.hidden_size;
  const int64_t q_width = int64_t{c.num_heads} * c.head_dim;
  const int64_t kv_width = int64_t{c.num_kv_heads} * c.head_dim;
  const int64_t inter = c.intermediate_size;
  const std::string p = "model.layers." + std::to_string(layer) + ".";
  out->push_back({p + "input_layernorm.weight", {hidden}, TensorRole::kNormWeight});
  out->push_back({p + "self_attn.q_proj.weight", {q_width, hidden}, TensorRole::kLinearWeight});
  out->push_back({p + "self_attn.k_proj.weight", {kv_width, hidden}, TensorRole::kLinearWeight});
  out->push_back({p + "self_attn.v_proj.weight", {kv_width, hidden}, TensorRole::kLinearWeight});
  if (c.attention_bias) {
    out->push_back({p + "self_attn.q_proj.bias", {q_width}, TensorRole::kBias});
    out->push_back({p + "self_attn.k_proj.bias", {kv_width}, TensorRole::kBias});
    out->push_back({p + "self_attn.v_proj.bias", {kv_width}, TensorRole::kBias});
  }
  out->push_back({p + "self_attn.o_proj.weight", {hidden, q_width}, TensorRole::kLinearWeight});
  out->push_back({p + "post_attention_layernorm.weight", {hidden}, TensorRole::kNormWeight});
  out->push_back({p + "mlp.gate_proj.weight", {inter, hidden}, TensorRole::kLinearWeight});
  out->push_back({p + "mlp.up_proj.weight", {inter, hidden}, TensorRole::kLinearWeight});
  out->push_back({p + "mlp.down_proj.weight", {hidden, inter}, TensorRole::kLinearWeight});
}

std::vector<ExpectedTensor> DecoderTensors(const ModelConfig& c) {
  const int64_t vocab = c.vocab_size, hidden = c.hidden_size;
  std::vector<ExpectedTensor> out;
  out.push_back({"model.embed_tokens.weight", {vocab, hidden}, TensorRole::kEmbedding});
  for (int layer = 0; layer < c.num_layers; ++layer) AddDecoderLayer(c, layer, &out);
  out.push_back({"model.norm.weight", {hidden}, TensorRole::kNormWeight});
  if (!c.tie_word_embeddings) {
    out.push_back({"lm_head.weight", {vocab, hidden}, TensorRole::kLinearWeight});
  }
  return out;
}

// A linear layer's weight [out, in] and bias [out].
void AddLinear(const std::string& prefix, int64_t out_features, int64_t in_features,
               std::vector<ExpectedTensor>* out) {
  out->push_back({prefix + ".weight", {out_features, in_features}, TensorRole::kLinearWeight});
  out->push_back({prefix + ".bias", {out_features}, TensorRole::kBias});
}

void AddLayerNorm(const std::string& prefix, int64_t width, std::vector<ExpectedTensor>* out) {
  out->push_back({prefix + ".weight", {width}, TensorRole::kNormWeight});
  out->push_back({prefix + ".bias", {width}, TensorRole::kNormBias});
}

std::vector<ExpectedTensor> BertTensors(const ModelConfig& c) {
  const int64_t hidden = c.hidden_size, inter = c.intermediate_size;
  std::vector<ExpectedTensor> out;
  out.push_back({"embeddings.word_embeddings.weight",
                 {int64_t{c.vocab_size}, hidden},
                 TensorRole::kEmbedding});
  out.push_back({"embeddings.position_embeddings.weight",
                 {int64_t{c.max_position}, hidden},
                 TensorRole::kEmbedding});
  out.push_back({"embeddings.token_type_embeddings.weight",
                 {int64_t{c.type_vocab_size}, hidden},
                 TensorRole::kEmbedding});
  AddLayerNorm("embeddings.LayerNorm", hidden, &out);
  for (int layer = 0; layer < c.num_layers; ++layer) {
    const std::string p = "encoder.layer." + std::to_string(layer) + ".";
    AddLinear(p + "attention.self.query", hidden, hidden, &out);
    AddLinear(p + "attention.self.key", hidden, hidden, &out);
    AddLinear(p + "attention.self.value", hidden, hidden, &out);
    AddLinear(p + "attention.output.dense", hidden, hidden, &out);
    AddLayerNorm(p + "attention.output.LayerNorm", hidden, &out);
    AddLinear(p + "intermediate.dense", inter, hidden, &out);
    AddLinear(p + "output.dense", hidden, inter, &out);
    AddLayerNorm(p + "output.LayerNorm", hidden, &out);
  }
  if (c.is_cross_encoder()) {
    AddLinear("pooler.dense", hidden, hidden, &out);
    AddLinear("classifier", c.num_labels, hidden, &out);
  }
  return out;
}

}  // namespace

std::vector<ExpectedTensor> ExpectedTensors(const ModelConfig& config) {
  return config.arch == Arch::kBert ? BertTensors(config) : DecoderTensors(config);
}

std::string BertPrefixed(const std::string& name) {
  if (name.rfind("classifier.", 0) == 0) return name;
  return "bert." + name;
}

}  // namespace hai::checkpoint
