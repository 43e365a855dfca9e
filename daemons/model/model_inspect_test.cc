#include "daemons/model/model_inspect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemons/model/model_init.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::model {
namespace {

using checkpoint::TestDir;
using nlohmann::json;
using ::testing::HasSubstr;

class ModelInspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitOptions o;
    o.out = dir_.Path("m");
    o.arch = "qwen2";
    o.layers = 2;
    o.hidden = 64;
    o.heads = 4;
    o.kv_heads = 2;
    o.vocab = 800;
    o.dtype = "bf16";
    auto made = InitModel(o);
    ASSERT_TRUE(made.ok()) << made.status().message();
  }
  TestDir dir_;
};

TEST(FormatCountTest, Units) {
  EXPECT_EQ(FormatCount(512), "512");
  EXPECT_EQ(FormatCount(835200), "835.2K");
  EXPECT_EQ(FormatCount(12345678), "12.3M");
  EXPECT_EQ(FormatCount(494032768), "494.0M");
  EXPECT_EQ(FormatCount(1543714304), "1.54B");
  EXPECT_EQ(FormatMiB(3 * 1024 * 1024 / 2), "1.5 MiB");
}

TEST_F(ModelInspectTest, Text) {
  auto inspection = Inspect(dir_.Path("m"));
  ASSERT_TRUE(inspection.ok()) << inspection.status().message();
  // embed 800×64 + lm_head 800×64 + norm 64 + 2 layers × (2×64 norms + q 64×64+64
  // + k,v 2×(32×64+32) + o 64×64 + 3 × 192×64)
  const int64_t per_layer = 2 * 64 + (4096 + 64) + 2 * (2048 + 32) + 4096 + 3 * 12288;
  EXPECT_EQ(inspection->parameters, 2 * 51200 + 64 + 2 * per_layer);
  std::string text = InspectionText(*inspection);
  EXPECT_THAT(text, HasSubstr("architecture   qwen2 (Qwen2ForCausalLM)\n"));
  EXPECT_THAT(text, HasSubstr("layers         2\n"));
  EXPECT_THAT(text, HasSubstr("heads          4 (kv-heads 2, head size 16)\n"));
  EXPECT_THAT(text, HasSubstr("vocab          800\n"));
  EXPECT_THAT(text, HasSubstr("max position   8192\n"));
  EXPECT_THAT(text, HasSubstr("parameters     " + FormatCount(inspection->parameters) + " (" +
                              std::to_string(inspection->parameters) + ")\n"));
  EXPECT_THAT(text, HasSubstr("dtypes         BF16 ×27\n"));
  EXPECT_THAT(
      text, HasSubstr("weights        " + FormatMiB(inspection->parameters * 2) + " in 1 file\n"));
  EXPECT_THAT(text, HasSubstr("tokenizer      800 tokens\n"));
  EXPECT_THAT(text, HasSubstr("chat format    chatml\n"));
  EXPECT_THAT(text, HasSubstr("special ids    bos 797, eos 799 797, pad 797\n"));
}

TEST_F(ModelInspectTest, Json) {
  auto inspection = Inspect(dir_.Path("m"));
  ASSERT_TRUE(inspection.ok());
  json j = json::parse(InspectionJson(*inspection));
  EXPECT_EQ(j["arch"], "qwen2");
  EXPECT_EQ(j["layers"], 2);
  EXPECT_EQ(j["num_kv_heads"], 2);
  EXPECT_EQ(j["vocab_size"], 800);
  EXPECT_EQ(j["parameters"], inspection->parameters);
  EXPECT_EQ(j["dtypes"], json({{"BF16", 27}}));
  EXPECT_EQ(j["weight_bytes"], inspection->parameters * 2);
  EXPECT_EQ(j["tokenizer_vocab_size"], 800);
  EXPECT_EQ(j["chat_format"], "chatml");
  EXPECT_EQ(j["eos_token_ids"], json({799, 797}));
  EXPECT_EQ(j["files"], json({dir_.Path("m/model.safetensors")}));
}

TEST_F(ModelInspectTest, CorruptCheckpointNamesFileAndTensor) {
  // Rewrite the weights without one tensor.
  {
    auto file = checkpoint::SafetensorsFile::Open(dir_.Path("m/model.safetensors"));
    ASSERT_TRUE(file.ok());
    checkpoint::SafetensorsWriter writer;
    for (const checkpoint::TensorView& t : file->tensors()) {
      if (t.name == "model.layers.1.self_attn.v_proj.bias") continue;
      ASSERT_TRUE(writer.Add(t.name, t.dtype, t.shape, {t.data, t.size_bytes}).ok());
    }
    ASSERT_TRUE(writer.Write(dir_.Path("m/model.safetensors")).ok());
  }
  auto missing = Inspect(dir_.Path("m"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr(dir_.Path("m")));
  EXPECT_THAT(missing.status().message(), HasSubstr("'model.layers.1.self_attn.v_proj.bias'"));

  std::string bytes = dir_.Read("m/model.safetensors");
  dir_.Write("m/model.safetensors", bytes.substr(0, bytes.size() / 2));
  auto truncated = Inspect(dir_.Path("m"));
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(), HasSubstr(dir_.Path("m/model.safetensors")));
  EXPECT_THAT(truncated.status().message(), HasSubstr("truncated"));
}

}  // namespace
}  // namespace hai::model
