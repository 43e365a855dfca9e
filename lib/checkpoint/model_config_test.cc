#include "lib/checkpoint/model_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hai::checkpoint {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Qwen2-0.5B-Instruct's config.json, as published.
const char kQwen2[] = R"({
  "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
  "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
  "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
  "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24,
  "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
  "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
  "transformers_version": "4.40.1", "use_cache": true, "use_sliding_window": false,
  "vocab_size": 151936})";

const char kLlama[] = R"({
  "architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
  "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu",
  "hidden_size": 2048, "intermediate_size": 8192, "max_position_embeddings": 131072,
  "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
  "num_hidden_layers": 16, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
  "rope_theta": 500000.0, "tie_word_embeddings": true, "dtype": "bfloat16",
  "vocab_size": 128256})";

const char kBertCrossEncoder[] = R"({
  "architectures": ["BertForSequenceClassification"], "attention_probs_dropout_prob": 0.1,
  "hidden_act": "gelu", "hidden_size": 384, "id2label": {"0": "LABEL_0"},
  "intermediate_size": 1536, "label2id": {"LABEL_0": 0}, "layer_norm_eps": 1e-12,
  "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
  "num_hidden_layers": 6, "pad_token_id": 0, "position_embedding_type": "absolute",
  "type_vocab_size": 2, "vocab_size": 30522})";

std::string ParseError(const json& config) {
  auto parsed = ParseModelConfig(config.dump(), "/models/x/config.json");
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_THAT(parsed.status().message(), HasSubstr("/models/x/config.json"));
  return parsed.status().message();
}

TEST(ModelConfigTest, ParsesQwen2) {
  auto c = ParseModelConfig(kQwen2, "config.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->arch, Arch::kQwen2);
  EXPECT_EQ(c->architecture, "Qwen2ForCausalLM");
  EXPECT_EQ(c->vocab_size, 151936);
  EXPECT_EQ(c->hidden_size, 896);
  EXPECT_EQ(c->intermediate_size, 4864);
  EXPECT_EQ(c->num_layers, 24);
  EXPECT_EQ(c->num_heads, 14);
  EXPECT_EQ(c->num_kv_heads, 2);
  EXPECT_EQ(c->head_dim, 64);
  EXPECT_EQ(c->max_position, 32768);
  EXPECT_EQ(c->rope_theta, 1e6);
  EXPECT_EQ(c->norm_eps, 1e-6);
  EXPECT_TRUE(c->tie_word_embeddings);
  EXPECT_TRUE(c->attention_bias);  // implied by qwen2
  EXPECT_EQ(c->torch_dtype, "bfloat16");
  EXPECT_FALSE(c->is_cross_encoder());
  // The published parameter count of Qwen2-0.5B.
  EXPECT_EQ(c->ParameterCount(), 494032768);
}

TEST(ModelConfigTest, ParsesLlama) {
  auto c = ParseModelConfig(kLlama, "config.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->arch, Arch::kLlama);
  EXPECT_EQ(c->num_kv_heads, 8);
  EXPECT_EQ(c->head_dim, 64);
  EXPECT_EQ(c->rope_theta, 500000.0);
  EXPECT_EQ(c->norm_eps, 1e-5);
  EXPECT_FALSE(c->attention_bias);
  EXPECT_EQ(c->torch_dtype, "bfloat16");  // from the newer "dtype" key
  // Llama 3.2 1B: 1.24 B parameters.
  EXPECT_EQ(c->ParameterCount(), 1235814400);

  json with_bias = json::parse(kLlama);
  with_bias["attention_bias"] = true;
  auto biased = ParseModelConfig(with_bias.dump(), "config.json");
  ASSERT_TRUE(biased.ok());
  EXPECT_TRUE(biased->attention_bias);
}

TEST(ModelConfigTest, ParsesBert) {
  auto c = ParseModelConfig(kBertCrossEncoder, "config.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->arch, Arch::kBert);
  EXPECT_EQ(c->num_labels, 1);
  EXPECT_TRUE(c->is_cross_encoder());
  EXPECT_EQ(c->num_kv_heads, 12);
  EXPECT_EQ(c->head_dim, 32);
  EXPECT_EQ(c->norm_eps, 1e-12);
  EXPECT_EQ(c->type_vocab_size, 2);
  EXPECT_EQ(c->torch_dtype, "float32");  // the default

  // An embedding model: id2label present but no classification head.
  json embedder = json::parse(kBertCrossEncoder);
  embedder["architectures"] = {"BertModel"};
  auto e = ParseModelConfig(embedder.dump(), "config.json");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->num_labels, 0);
  EXPECT_FALSE(e->is_cross_encoder());
}

TEST(ModelConfigTest, BertBaseParameterCount) {
  json bert = json::parse(kBertCrossEncoder);
  bert["architectures"] = {"BertModel"};
  bert["hidden_size"] = 768;
  bert["intermediate_size"] = 3072;
  bert["num_hidden_layers"] = 12;
  auto c = ParseModelConfig(bert.dump(), "config.json");
  ASSERT_TRUE(c.ok());
  // bert-base-uncased without its pooler (109,482,240 − 590,592).
  EXPECT_EQ(c->ParameterCount(), 108891648);
  bert["architectures"] = {"BertForSequenceClassification"};
  c = ParseModelConfig(bert.dump(), "config.json");
  ASSERT_TRUE(c.ok());
  // + pooler (768 × 768 + 768) + classifier (768 + 1).
  EXPECT_EQ(c->ParameterCount(), 108891648 + 590592 + 769);
}

TEST(ModelConfigTest, ErrorsNameFileAndKey) {
  EXPECT_THAT(ParseError(json::array()), HasSubstr("not a JSON object"));
  auto not_json = ParseModelConfig("{", "c.json");
  EXPECT_FALSE(not_json.ok());

  json c = json::parse(kQwen2);
  c.erase("hidden_size");
  EXPECT_THAT(ParseError(c), HasSubstr("'hidden_size' is missing"));
  auto parsed = ParseModelConfig(c.dump(), "config.json");
  EXPECT_EQ(parsed.status().field(), "hidden_size");

  for (const char* key : {"vocab_size", "intermediate_size", "num_hidden_layers",
                          "num_attention_heads", "max_position_embeddings"}) {
    json bad = json::parse(kQwen2);
    bad[key] = 0;
    EXPECT_THAT(ParseError(bad),
                HasSubstr(std::string("'") + key + "' must be a positive integer"));
    bad[key] = "12";
    EXPECT_THAT(ParseError(bad), HasSubstr(std::string("'") + key + "'"));
    bad[key] = 12.5;
    EXPECT_THAT(ParseError(bad), HasSubstr(std::string("'") + key + "'"));
  }
  c = json::parse(kQwen2);
  c["model_type"] = "mistral";
  EXPECT_THAT(ParseError(c), HasSubstr("'model_type' is 'mistral'; supported: llama, qwen2, bert"));
  c.erase("model_type");
  EXPECT_THAT(ParseError(c), HasSubstr("'model_type' is missing"));

  c = json::parse(kQwen2);
  c["num_attention_heads"] = 10;  // 896 / 10
  EXPECT_THAT(ParseError(c), HasSubstr("'num_attention_heads' (10) does not divide hidden_size"));
  c = json::parse(kQwen2);
  c["num_key_value_heads"] = 3;  // 14 / 3
  EXPECT_THAT(ParseError(c), HasSubstr("'num_key_value_heads' (3) does not divide"));
  c = json::parse(kQwen2);
  c["rope_theta"] = -1;
  EXPECT_THAT(ParseError(c), HasSubstr("'rope_theta' must be a positive number"));
  c = json::parse(kQwen2);
  c["tie_word_embeddings"] = "yes";
  EXPECT_THAT(ParseError(c), HasSubstr("'tie_word_embeddings' must be true or false"));
  c = json::parse(kQwen2);
  c["hidden_act"] = "gelu";
  EXPECT_THAT(ParseError(c), HasSubstr("'hidden_act' is 'gelu'"));
  c = json::parse(kQwen2);
  c["architectures"] = "Qwen2ForCausalLM";
  EXPECT_THAT(ParseError(c), HasSubstr("'architectures'"));

  json bert = json::parse(kBertCrossEncoder);
  bert["position_embedding_type"] = "relative_key";
  EXPECT_THAT(ParseError(bert), HasSubstr("'position_embedding_type'"));
  json llama = json::parse(kLlama);
  llama["mlp_bias"] = true;
  EXPECT_THAT(ParseError(llama), HasSubstr("'mlp_bias'"));
}

TEST(ModelConfigTest, RefusesWhatTheEngineWouldComputeWrongly) {
  json llama = json::parse(kLlama);
  llama["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}};
  EXPECT_THAT(ParseError(llama), HasSubstr("'rope_scaling' is set"));
  llama["rope_scaling"] = nullptr;
  EXPECT_TRUE(ParseModelConfig(llama.dump(), "config.json").ok());
  json qwen = json::parse(kQwen2);
  qwen["use_sliding_window"] = true;
  EXPECT_THAT(ParseError(qwen), HasSubstr("'use_sliding_window' is true"));
}

TEST(ModelConfigTest, ExplicitHeadDimNeedNotDivideHidden) {
  json c = json::parse(kLlama);
  c["head_dim"] = 128;
  c["num_attention_heads"] = 12;
  c["num_key_value_heads"] = 4;
  auto parsed = ParseModelConfig(c.dump(), "config.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->head_dim, 128);
}

TEST(ModelConfigTest, DefaultsForOptionalKeys) {
  json c = json::parse(kLlama);
  for (const char* key : {"num_key_value_heads", "head_dim", "rope_theta", "rms_norm_eps",
                          "tie_word_embeddings", "attention_bias", "dtype", "architectures"}) {
    c.erase(key);
  }
  auto parsed = ParseModelConfig(c.dump(), "config.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->num_kv_heads, 32);
  EXPECT_EQ(parsed->head_dim, 64);
  EXPECT_EQ(parsed->rope_theta, 10000.0);
  EXPECT_EQ(parsed->norm_eps, 1e-6);
  EXPECT_FALSE(parsed->tie_word_embeddings);
  EXPECT_EQ(parsed->torch_dtype, "float32");
  EXPECT_EQ(parsed->architecture, "LlamaForCausalLM");
}

void ExpectSame(const ModelConfig& a, const ModelConfig& b) {
  EXPECT_EQ(a.arch, b.arch);
  EXPECT_EQ(a.architecture, b.architecture);
  EXPECT_EQ(a.vocab_size, b.vocab_size);
  EXPECT_EQ(a.hidden_size, b.hidden_size);
  EXPECT_EQ(a.intermediate_size, b.intermediate_size);
  EXPECT_EQ(a.num_layers, b.num_layers);
  EXPECT_EQ(a.num_heads, b.num_heads);
  EXPECT_EQ(a.num_kv_heads, b.num_kv_heads);
  EXPECT_EQ(a.head_dim, b.head_dim);
  EXPECT_EQ(a.max_position, b.max_position);
  EXPECT_EQ(a.rope_theta, b.rope_theta);
  EXPECT_EQ(a.norm_eps, b.norm_eps);
  EXPECT_EQ(a.tie_word_embeddings, b.tie_word_embeddings);
  EXPECT_EQ(a.attention_bias, b.attention_bias);
  EXPECT_EQ(a.torch_dtype, b.torch_dtype);
  EXPECT_EQ(a.type_vocab_size, b.type_vocab_size);
  EXPECT_EQ(a.num_labels, b.num_labels);
}

TEST(ModelConfigTest, ToJsonRoundTripsEveryArchitecture) {
  for (const char* text : {kQwen2, kLlama, kBertCrossEncoder}) {
    auto original = ParseModelConfig(text, "config.json");
    ASSERT_TRUE(original.ok());
    std::string written = ModelConfigToJson(*original);
    auto again = ParseModelConfig(written, "written.json");
    ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << written;
    ExpectSame(*original, *again);
  }
}

TEST(ModelConfigTest, ToJsonWritesWhatTransformersReads) {
  auto qwen = ParseModelConfig(kQwen2, "config.json");
  ASSERT_TRUE(qwen.ok());
  json q = json::parse(ModelConfigToJson(*qwen));
  EXPECT_EQ(q["architectures"], json({"Qwen2ForCausalLM"}));
  EXPECT_EQ(q["model_type"], "qwen2");
  EXPECT_EQ(q["hidden_act"], "silu");
  EXPECT_EQ(q["use_sliding_window"], false);
  EXPECT_FALSE(q.contains("head_dim"));  // implied by hidden_size / heads
  EXPECT_EQ(q["torch_dtype"], "bfloat16");

  auto llama = ParseModelConfig(kLlama, "config.json");
  ASSERT_TRUE(llama.ok());
  json l = json::parse(ModelConfigToJson(*llama));
  EXPECT_EQ(l["attention_bias"], false);
  EXPECT_EQ(l["head_dim"], 64);
  EXPECT_EQ(l["rms_norm_eps"], 1e-5);

  auto bert = ParseModelConfig(kBertCrossEncoder, "config.json");
  ASSERT_TRUE(bert.ok());
  json b = json::parse(ModelConfigToJson(*bert));
  EXPECT_EQ(b["hidden_act"], "gelu");
  EXPECT_EQ(b["id2label"], json({{"0", "LABEL_0"}}));
  EXPECT_EQ(b["label2id"], json({{"LABEL_0", 0}}));
  EXPECT_EQ(b["layer_norm_eps"], 1e-12);
}

}  // namespace
}  // namespace hai::checkpoint
