#include "daemons/model/init_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hai::model {
namespace {

using checkpoint::Arch;
using ::testing::HasSubstr;

InitOptions Small(const std::string& arch) {
  InitOptions o;
  o.out = "/tmp/unused";
  o.arch = arch;
  o.layers = 2;
  o.hidden = 64;
  o.heads = 4;
  o.kv_heads = arch == "bert" ? 0 : 2;
  o.vocab = 500;
  return o;
}

std::string Error(const InitOptions& o) {
  auto c = ConfigFromOptions(o);
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.status().message();
}

TEST(InitOptionsTest, DecoderDefaults) {
  auto qwen = ConfigFromOptions(Small("qwen2"));
  ASSERT_TRUE(qwen.ok()) << qwen.status().message();
  EXPECT_EQ(qwen->arch, Arch::kQwen2);
  EXPECT_EQ(qwen->architecture, "Qwen2ForCausalLM");
  EXPECT_EQ(qwen->intermediate_size, 192);  // 8 × 64 / 3 = 170.7 → 192
  EXPECT_EQ(qwen->max_position, 8192);
  EXPECT_EQ(qwen->rope_theta, 1e6);
  EXPECT_TRUE(qwen->attention_bias);
  EXPECT_FALSE(qwen->tie_word_embeddings);
  EXPECT_EQ(qwen->head_dim, 16);
  EXPECT_EQ(qwen->num_kv_heads, 2);
  EXPECT_EQ(qwen->torch_dtype, "float32");

  InitOptions o = Small("llama");
  o.hidden = 96;
  o.heads = 6;
  o.kv_heads = 0;
  o.dtype = "bf16";
  o.tie_embeddings = true;
  auto llama = ConfigFromOptions(o);
  ASSERT_TRUE(llama.ok()) << llama.status().message();
  EXPECT_EQ(llama->intermediate_size, 256);  // 8 × 96 / 3 = 256 exactly
  EXPECT_EQ(llama->rope_theta, 500000.0);
  EXPECT_FALSE(llama->attention_bias);
  EXPECT_EQ(llama->num_kv_heads, 6);  // --kv-heads defaults to --heads
  EXPECT_TRUE(llama->tie_word_embeddings);
  EXPECT_EQ(llama->torch_dtype, "bfloat16");
}

TEST(InitOptionsTest, ExplicitValuesWin) {
  InitOptions o = Small("llama");
  o.intermediate = 100;
  o.max_position = 1024;
  o.rope_theta = 10000;
  o.dtype = "f16";
  auto c = ConfigFromOptions(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->intermediate_size, 100);
  EXPECT_EQ(c->max_position, 1024);
  EXPECT_EQ(c->rope_theta, 10000);
  EXPECT_EQ(c->torch_dtype, "float16");
}

TEST(InitOptionsTest, BertDefaultsAndCrossEncoder) {
  auto bert = ConfigFromOptions(Small("bert"));
  ASSERT_TRUE(bert.ok()) << bert.status().message();
  EXPECT_EQ(bert->architecture, "BertModel");
  EXPECT_EQ(bert->intermediate_size, 256);
  EXPECT_EQ(bert->max_position, 512);
  EXPECT_EQ(bert->num_kv_heads, 4);
  EXPECT_EQ(bert->norm_eps, 1e-12);
  EXPECT_FALSE(bert->is_cross_encoder());
  InitOptions o = Small("bert");
  o.num_labels = 1;
  auto cross = ConfigFromOptions(o);
  ASSERT_TRUE(cross.ok());
  EXPECT_EQ(cross->architecture, "BertForSequenceClassification");
  EXPECT_TRUE(cross->is_cross_encoder());
}

TEST(InitOptionsTest, ErrorsNameTheFlag) {
  InitOptions o = Small("qwen2");
  o.arch = "mistral";
  EXPECT_THAT(Error(o), HasSubstr("--arch must be qwen2, llama or bert (got 'mistral')"));
  o = Small("qwen2");
  o.out = "";
  EXPECT_THAT(Error(o), HasSubstr("--out is required"));
  for (int InitOptions::*field :
       {&InitOptions::layers, &InitOptions::hidden, &InitOptions::heads, &InitOptions::vocab}) {
    o = Small("llama");
    o.*field = -1;
    EXPECT_THAT(Error(o), HasSubstr("must be positive"));
  }
  o = Small("llama");
  o.heads = 5;
  o.kv_heads = 5;
  EXPECT_THAT(Error(o), HasSubstr("--heads 5 does not divide --hidden 64"));
  o = Small("llama");
  o.kv_heads = 3;
  EXPECT_THAT(Error(o), HasSubstr("--kv-heads 3 does not divide --heads 4"));
  o = Small("llama");
  o.hidden = 60;
  o.heads = 4;  // head size 15
  EXPECT_THAT(Error(o), HasSubstr("odd head size 15"));
  o = Small("qwen2");
  o.vocab = 290;
  EXPECT_THAT(Error(o), HasSubstr("--vocab must be at least 291 (256 byte tokens + 3 special "
                                  "tokens + 32 merges)"));
  o = Small("qwen2");
  o.dtype = "fp8";
  EXPECT_THAT(Error(o), HasSubstr("--dtype must be f32, bf16 or f16"));
  o = Small("qwen2");
  o.num_labels = 2;
  EXPECT_THAT(Error(o), HasSubstr("--num-labels applies to bert only"));
  o = Small("bert");
  o.kv_heads = 2;
  EXPECT_THAT(Error(o), HasSubstr("--kv-heads must equal --heads for bert"));
  o = Small("bert");
  o.tie_embeddings = true;
  EXPECT_THAT(Error(o), HasSubstr("--tie-embeddings applies to decoders"));
  o = Small("bert");
  o.rope_theta = 10;
  EXPECT_THAT(Error(o), HasSubstr("--rope-theta applies to decoders"));
  auto status = ConfigFromOptions(Small("bert")).ok() ? Status::Ok() : Status::Internal("");
  EXPECT_TRUE(status.ok());
}

TEST(InitOptionsTest, SpecialTokensPerArch) {
  EXPECT_EQ(SpecialTokens(Arch::kQwen2),
            (std::vector<std::string>{"<|endoftext|>", "<|im_start|>", "<|im_end|>"}));
  EXPECT_EQ(SpecialTokens(Arch::kLlama).size(), 5u);
  EXPECT_EQ(SpecialTokens(Arch::kBert)[2], "[CLS]");
  EXPECT_EQ(MinimumVocab(Arch::kLlama), 256 + 5 + 32);
}

}  // namespace
}  // namespace hai::model
