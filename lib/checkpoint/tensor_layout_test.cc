#include "lib/checkpoint/tensor_layout.h"

#include <gtest/gtest.h>

#include <map>

namespace hai::checkpoint {
namespace {

ModelConfig SmallDecoder(Arch arch) {
  ModelConfig c;
  c.arch = arch;
  c.vocab_size = 300;
  c.hidden_size = 64;
  c.intermediate_size = 192;
  c.num_layers = 2;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = 16;
  c.max_position = 128;
  c.attention_bias = arch == Arch::kQwen2;
  return c;
}

std::map<std::string, ExpectedTensor> ByName(const std::vector<ExpectedTensor>& list) {
  std::map<std::string, ExpectedTensor> out;
  for (const ExpectedTensor& t : list) out.emplace(t.name, t);
  EXPECT_EQ(out.size(), list.size()) << "duplicate names";
  return out;
}

TEST(TensorLayoutTest, LlamaNamesAndShapes) {
  ModelConfig c = SmallDecoder(Arch::kLlama);
  auto tensors = ExpectedTensors(c);
  // embed + 2 × 9 per layer + norm + lm_head
  EXPECT_EQ(tensors.size(), 1u + 2 * 9 + 1 + 1);
  auto by = ByName(tensors);
  EXPECT_EQ(by.at("model.embed_tokens.weight").shape, (std::vector<int64_t>{300, 64}));
  EXPECT_EQ(by.at("model.embed_tokens.weight").role, TensorRole::kEmbedding);
  EXPECT_EQ(by.at("model.layers.1.self_attn.q_proj.weight").shape, (std::vector<int64_t>{64, 64}));
  EXPECT_EQ(by.at("model.layers.1.self_attn.k_proj.weight").shape, (std::vector<int64_t>{32, 64}));
  EXPECT_EQ(by.at("model.layers.1.self_attn.v_proj.weight").shape, (std::vector<int64_t>{32, 64}));
  EXPECT_EQ(by.at("model.layers.0.self_attn.o_proj.weight").shape, (std::vector<int64_t>{64, 64}));
  EXPECT_EQ(by.at("model.layers.0.mlp.gate_proj.weight").shape, (std::vector<int64_t>{192, 64}));
  EXPECT_EQ(by.at("model.layers.0.mlp.up_proj.weight").shape, (std::vector<int64_t>{192, 64}));
  EXPECT_EQ(by.at("model.layers.0.mlp.down_proj.weight").shape, (std::vector<int64_t>{64, 192}));
  EXPECT_EQ(by.at("model.layers.0.input_layernorm.weight").role, TensorRole::kNormWeight);
  EXPECT_EQ(by.at("model.layers.0.post_attention_layernorm.weight").shape,
            (std::vector<int64_t>{64}));
  EXPECT_EQ(by.at("model.norm.weight").shape, (std::vector<int64_t>{64}));
  EXPECT_EQ(by.at("lm_head.weight").shape, (std::vector<int64_t>{300, 64}));
  EXPECT_EQ(by.count("model.layers.0.self_attn.q_proj.bias"), 0u);

  c.tie_word_embeddings = true;
  EXPECT_EQ(ByName(ExpectedTensors(c)).count("lm_head.weight"), 0u);
  // 300×64 + 2 × (64 + 4096 + 2×2048 + 4096 + 64 + 3×12288) + 64
  EXPECT_EQ(c.ParameterCount(), 19200 + 2 * (64 + 4096 + 2 * 2048 + 4096 + 64 + 3 * 12288) + 64);
}

TEST(TensorLayoutTest, Qwen2HasQkvBias) {
  ModelConfig c = SmallDecoder(Arch::kQwen2);
  auto by = ByName(ExpectedTensors(c));
  EXPECT_EQ(by.size(), 1u + 2 * 12 + 1 + 1);
  EXPECT_EQ(by.at("model.layers.0.self_attn.q_proj.bias").shape, (std::vector<int64_t>{64}));
  EXPECT_EQ(by.at("model.layers.0.self_attn.k_proj.bias").shape, (std::vector<int64_t>{32}));
  EXPECT_EQ(by.at("model.layers.1.self_attn.v_proj.bias").role, TensorRole::kBias);
  EXPECT_EQ(by.count("model.layers.0.self_attn.o_proj.bias"), 0u);
}

TEST(TensorLayoutTest, HeadDimWiderThanHiddenOverHeads) {
  ModelConfig c = SmallDecoder(Arch::kLlama);
  c.head_dim = 32;  // 4 × 32 = 128 ≠ 64
  auto by = ByName(ExpectedTensors(c));
  EXPECT_EQ(by.at("model.layers.0.self_attn.q_proj.weight").shape, (std::vector<int64_t>{128, 64}));
  EXPECT_EQ(by.at("model.layers.0.self_attn.o_proj.weight").shape, (std::vector<int64_t>{64, 128}));
}

TEST(TensorLayoutTest, BertEncoderAndCrossEncoder) {
  ModelConfig c;
  c.arch = Arch::kBert;
  c.vocab_size = 500;
  c.hidden_size = 32;
  c.intermediate_size = 128;
  c.num_layers = 3;
  c.num_heads = 4;
  c.num_kv_heads = 4;
  c.head_dim = 8;
  c.max_position = 64;
  c.type_vocab_size = 2;
  auto by = ByName(ExpectedTensors(c));
  // 5 embedding tensors + 16 per layer
  EXPECT_EQ(by.size(), 5u + 3 * 16);
  EXPECT_EQ(by.at("embeddings.word_embeddings.weight").shape, (std::vector<int64_t>{500, 32}));
  EXPECT_EQ(by.at("embeddings.position_embeddings.weight").shape, (std::vector<int64_t>{64, 32}));
  EXPECT_EQ(by.at("embeddings.token_type_embeddings.weight").shape, (std::vector<int64_t>{2, 32}));
  EXPECT_EQ(by.at("embeddings.LayerNorm.bias").role, TensorRole::kNormBias);
  EXPECT_EQ(by.at("encoder.layer.2.attention.self.query.weight").shape,
            (std::vector<int64_t>{32, 32}));
  EXPECT_EQ(by.at("encoder.layer.2.attention.self.value.bias").role, TensorRole::kBias);
  EXPECT_EQ(by.at("encoder.layer.0.attention.output.dense.weight").shape,
            (std::vector<int64_t>{32, 32}));
  EXPECT_EQ(by.at("encoder.layer.0.attention.output.LayerNorm.weight").role,
            TensorRole::kNormWeight);
  EXPECT_EQ(by.at("encoder.layer.0.intermediate.dense.weight").shape,
            (std::vector<int64_t>{128, 32}));
  EXPECT_EQ(by.at("encoder.layer.0.output.dense.weight").shape, (std::vector<int64_t>{32, 128}));
  EXPECT_EQ(by.at("encoder.layer.0.output.LayerNorm.bias").shape, (std::vector<int64_t>{32}));
  EXPECT_EQ(by.count("pooler.dense.weight"), 0u);

  c.num_labels = 1;
  by = ByName(ExpectedTensors(c));
  EXPECT_EQ(by.size(), 5u + 3 * 16 + 4);
  EXPECT_EQ(by.at("pooler.dense.weight").shape, (std::vector<int64_t>{32, 32}));
  EXPECT_EQ(by.at("classifier.weight").shape, (std::vector<int64_t>{1, 32}));
  EXPECT_EQ(by.at("classifier.bias").shape, (std::vector<int64_t>{1}));
}

TEST(TensorLayoutTest, BertPrefix) {
  EXPECT_EQ(BertPrefixed("embeddings.word_embeddings.weight"),
            "bert.embeddings.word_embeddings.weight");
  EXPECT_EQ(BertPrefixed("pooler.dense.bias"), "bert.pooler.dense.bias");
  EXPECT_EQ(BertPrefixed("classifier.weight"), "classifier.weight");
}

}  // namespace
}  // namespace hai::checkpoint
