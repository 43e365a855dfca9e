#include "daemons/model/model_init.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/checkpoint.h"
#include "lib/checkpoint/tensor_layout.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::model {
namespace {

using checkpoint::Arch;
using checkpoint::TestDir;
using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

InitOptions Small(const std::string& dir, const std::string& arch) {
  InitOptions o;
  o.out = dir;
  o.arch = arch;
  o.layers = 2;
  o.hidden = 32;
  o.heads = 4;
  o.kv_heads = arch == "bert" ? 0 : 2;
  o.vocab = 600;
  o.seed = 42;
  return o;
}

std::vector<std::string> FileNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class ModelInitTest : public ::testing::Test {
 protected:
  TestDir dir_;
};

TEST_F(ModelInitTest, Qwen2OpensAsACheckpoint) {
  auto made = InitModel(Small(dir_.Path("q"), "qwen2"));
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->tokenizer_vocab, 600);
  EXPECT_EQ(made->parameters, made->config.ParameterCount());
  EXPECT_EQ(FileNames(dir_.Path("q")),
            (std::vector<std::string>{"config.json", "generation_config.json", "model.safetensors",
                                      "tokenizer.json", "tokenizer_config.json"}));
  auto ckpt = checkpoint::OpenCheckpoint(dir_.Path("q"));
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  const checkpoint::Checkpoint& c = **ckpt;
  EXPECT_EQ(c.config.arch, Arch::kQwen2);
  EXPECT_TRUE(c.config.attention_bias);
  EXPECT_EQ(c.config.vocab_size, 600);
  const int32_t end_of_text = *c.tokenizer->TokenId("<|endoftext|>");
  const int32_t im_end = *c.tokenizer->TokenId("<|im_end|>");
  EXPECT_EQ(c.generation.eos_token_ids, (std::vector<int32_t>{im_end, end_of_text}));
  EXPECT_EQ(c.generation.pad_token_id, end_of_text);
  EXPECT_FALSE(c.generation.add_bos);
  EXPECT_EQ(c.generation.chat_format, tokenizer::ChatFormat::kChatML);
  EXPECT_EQ(c.generation.default_system, "You are a helpful assistant.");
  EXPECT_TRUE(c.tokenizer->IsSpecial(im_end));

  // Weights: random linear layers and biases, norms at 1.
  std::vector<float> norm = checkpoint::ToFloat(*c.tensors.Find("model.norm.weight"));
  EXPECT_EQ(norm, std::vector<float>(32, 1.0f));
  std::vector<float> bias =
      checkpoint::ToFloat(*c.tensors.Find("model.layers.0.self_attn.k_proj.bias"));
  EXPECT_NE(bias[0], 0.0f);
  EXPECT_NE(bias[0], bias[1]);
  EXPECT_EQ(c.tensors.Find("model.embed_tokens.weight")->dtype, checkpoint::DType::kF32);
  EXPECT_NE(c.tensors.Find("lm_head.weight"), nullptr);

  // The tokenizer learnt both languages of the corpus.
  std::vector<int32_t> ids = c.tokenizer->Encode("患者入院 the patient was admitted");
  EXPECT_LT(ids.size(), std::string("患者入院 the patient was admitted").size() / 2);
  EXPECT_EQ(c.tokenizer->Decode(ids), "患者入院 the patient was admitted");
}

TEST_F(ModelInitTest, LlamaOpensAsACheckpoint) {
  InitOptions o = Small(dir_.Path("l"), "llama");
  o.dtype = "bf16";
  o.tie_embeddings = true;
  auto made = InitModel(o);
  ASSERT_TRUE(made.ok()) << made.status().message();
  auto ckpt = checkpoint::OpenCheckpoint(dir_.Path("l"));
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  const checkpoint::Checkpoint& c = **ckpt;
  EXPECT_EQ(c.config.arch, Arch::kLlama);
  EXPECT_FALSE(c.config.attention_bias);
  EXPECT_TRUE(c.config.tie_word_embeddings);
  EXPECT_EQ(c.config.torch_dtype, "bfloat16");
  EXPECT_EQ(c.tensors.Find("lm_head.weight"), nullptr);
  EXPECT_EQ(c.tensors.Find("model.embed_tokens.weight")->dtype, checkpoint::DType::kBF16);
  EXPECT_EQ(c.generation.bos_token_id, *c.tokenizer->TokenId("<|begin_of_text|>"));
  EXPECT_EQ(c.generation.eos_token_ids,
            (std::vector<int32_t>{*c.tokenizer->TokenId("<|eot_id|>"),
                                  *c.tokenizer->TokenId("<|end_of_text|>")}));
  EXPECT_TRUE(c.generation.add_bos);
  EXPECT_EQ(c.generation.chat_format, tokenizer::ChatFormat::kLlama3);
  EXPECT_EQ(c.generation.default_system, "");
  EXPECT_EQ(c.config.rope_theta, 500000.0);
}

TEST_F(ModelInitTest, BertAndCrossEncoderOpenAsCheckpoints) {
  InitOptions o = Small(dir_.Path("b"), "bert");
  o.dtype = "f16";
  ASSERT_TRUE(InitModel(o).ok());
  auto ckpt = checkpoint::OpenCheckpoint(dir_.Path("b"));
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_EQ((*ckpt)->config.arch, Arch::kBert);
  EXPECT_FALSE((*ckpt)->config.is_cross_encoder());
  EXPECT_EQ((*ckpt)->generation.pad_token_id, *(*ckpt)->tokenizer->TokenId("[PAD]"));
  EXPECT_FALSE(fs::exists(dir_.Path("b/generation_config.json")));
  std::vector<float> ln_bias =
      checkpoint::ToFloat(*(*ckpt)->tensors.Find("encoder.layer.1.output.LayerNorm.bias"));
  EXPECT_EQ(ln_bias, std::vector<float>(32, 0.0f));

  o = Small(dir_.Path("x"), "bert");
  o.num_labels = 1;
  ASSERT_TRUE(InitModel(o).ok());
  ckpt = checkpoint::OpenCheckpoint(dir_.Path("x"));
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_TRUE((*ckpt)->config.is_cross_encoder());
  EXPECT_EQ((*ckpt)->config.architecture, "BertForSequenceClassification");
  EXPECT_EQ((*ckpt)->tensors.Find("classifier.weight")->shape, (std::vector<int64_t>{1, 32}));
}

TEST_F(ModelInitTest, SameArgumentsSameBytes) {
  ASSERT_TRUE(InitModel(Small(dir_.Path("a"), "qwen2")).ok());
  ASSERT_TRUE(InitModel(Small(dir_.Path("b"), "qwen2")).ok());
  InitOptions other = Small(dir_.Path("c"), "qwen2");
  other.seed = 43;
  ASSERT_TRUE(InitModel(other).ok());
  for (const std::string& name : FileNames(dir_.Path("a"))) {
    EXPECT_EQ(dir_.Read("a/" + name), dir_.Read("b/" + name)) << name;
  }
  // Another seed: other weights, the same tokenizer and configuration.
  EXPECT_NE(dir_.Read("a/model.safetensors"), dir_.Read("c/model.safetensors"));
  EXPECT_EQ(dir_.Read("a/model.safetensors").size(), dir_.Read("c/model.safetensors").size());
  EXPECT_EQ(dir_.Read("a/tokenizer.json"), dir_.Read("c/tokenizer.json"));
  EXPECT_EQ(dir_.Read("a/config.json"), dir_.Read("c/config.json"));
}

TEST_F(ModelInitTest, LargeVocabPadsTheEmbedding) {
  InitOptions o = Small(dir_.Path("v"), "qwen2");
  o.vocab = 20000;
  o.layers = 1;
  auto made = InitModel(o);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_LT(made->tokenizer_vocab, 20000);
  EXPECT_GT(made->tokenizer_vocab, 1000);
  auto ckpt = checkpoint::OpenCheckpoint(dir_.Path("v"));
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_EQ((*ckpt)->config.vocab_size, 20000);
  EXPECT_EQ((*ckpt)->tokenizer->vocab_size(), made->tokenizer_vocab);
  EXPECT_EQ((*ckpt)->tokenizer->TokenId("<|im_end|>"), made->tokenizer_vocab - 1);
}

TEST_F(ModelInitTest, RefusesNonEmptyDirectoryUnlessForced) {
  fs::create_directories(dir_.Path("d"));
  dir_.Write("d/notes.txt", "keep me");
  InitOptions o = Small(dir_.Path("d"), "llama");
  auto refused = InitModel(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("is not empty (use --force"));

  // A stale shard from an earlier checkpoint would make two weight sets.
  dir_.Write("d/model-00002-of-00002.safetensors", "stale");
  o.force = true;
  auto forced = InitModel(o);
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_FALSE(fs::exists(dir_.Path("d/model-00002-of-00002.safetensors")));
  EXPECT_EQ(dir_.Read("d/notes.txt"), "keep me");

  dir_.Write("file", "x");
  auto not_dir = InitModel(Small(dir_.Path("file"), "llama"));
  ASSERT_FALSE(not_dir.ok());
  EXPECT_THAT(not_dir.status().message(), HasSubstr("is not a directory"));
}

TEST_F(ModelInitTest, InvalidOptionsWriteNothing) {
  InitOptions o = Small(dir_.Path("n"), "qwen2");
  o.heads = 3;
  auto made = InitModel(o);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().field(), "--heads");
  EXPECT_FALSE(fs::exists(dir_.Path("n")));
}

TEST_F(ModelInitTest, ConfigIsWhatTransformersExpects) {
  ASSERT_TRUE(InitModel(Small(dir_.Path("q"), "qwen2")).ok());
  json config = json::parse(dir_.Read("q/config.json"));
  EXPECT_EQ(config["architectures"], json({"Qwen2ForCausalLM"}));
  EXPECT_EQ(config["model_type"], "qwen2");
  EXPECT_EQ(config["intermediate_size"], 128);  // 8 × 32 / 3 → 128
  EXPECT_EQ(config["rope_theta"], 1e6);
  json tok_config = json::parse(dir_.Read("q/tokenizer_config.json"));
  EXPECT_EQ(tok_config["eos_token"], "<|im_end|>");
  EXPECT_EQ(tok_config["model_max_length"], 8192);
  EXPECT_THAT(tok_config["chat_template"].get<std::string>(),
              HasSubstr("'<|im_start|>' + message['role'] + '\\n'"));
  json tokenizer = json::parse(dir_.Read("q/tokenizer.json"));
  EXPECT_EQ(tokenizer["model"]["type"], "BPE");
}

}  // namespace
}  // namespace hai::model
