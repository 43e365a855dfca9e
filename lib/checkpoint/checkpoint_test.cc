#include "lib/checkpoint/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/tensor_layout.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kCorpus[] =
    "The ward round starts at eight. The nurse checks the chart, the doctor reviews the "
    "results, and the pharmacist confirms every dose before the patient leaves the ward. "
    "Discharge letters go to the family doctor within two working days. 病房查房八点开始，"
    "护士核对医嘱，医生查看检验结果，药师确认剂量。 12:30, 3.5 mg, 98.6%!";

const std::vector<std::string> kQwenSpecials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
const std::vector<std::string> kLlamaSpecials = {"<|begin_of_text|>", "<|end_of_text|>",
                                                 "<|start_header_id|>", "<|end_header_id|>",
                                                 "<|eot_id|>"};
const std::vector<std::string> kBertSpecials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

const char kChatML[] =
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// A complete small checkpoint written piece by piece, so that each test can
// break one piece. Tokenizer: 300 tokens (specials last); config: 320 rows.
class CheckpointTest : public ::testing::Test {
 protected:
  ModelConfig Config(Arch arch) {
    ModelConfig c;
    c.arch = arch;
    c.architecture = arch == Arch::kQwen2   ? "Qwen2ForCausalLM"
                     : arch == Arch::kLlama ? "LlamaForCausalLM"
                                            : "BertForSequenceClassification";
    c.vocab_size = 320;
    c.hidden_size = 16;
    c.intermediate_size = 32;
    c.num_layers = 2;
    c.num_heads = 4;
    c.num_kv_heads = arch == Arch::kBert ? 4 : 2;
    c.head_dim = 4;
    c.max_position = 64;
    c.attention_bias = arch == Arch::kQwen2;
    c.num_labels = arch == Arch::kBert ? 1 : 0;
    c.norm_eps = arch == Arch::kBert ? 1e-12 : 1e-6;
    return c;
  }

  void WriteTokenizer(const std::vector<std::string>& specials) {
    auto text = tokenizer::TrainByteLevelBpe(kCorpus, 300, specials);
    ASSERT_TRUE(text.ok()) << text.status().message();
    dir_.Write("tokenizer.json", *text);
  }

  // Every expected tensor, zero-filled, under `rename(name)`.
  void WriteWeights(const ModelConfig& c, DType dtype = DType::kF32,
                    std::string (*rename)(const std::string&) = nullptr,
                    const std::string& skip = "") {
    SafetensorsWriter writer;
    for (const ExpectedTensor& t : ExpectedTensors(c)) {
      if (t.name == skip) continue;
      int64_t count = 1;
      for (int64_t d : t.shape) count *= d;
      std::vector<std::byte> zeros(count * DTypeSize(dtype));
      ASSERT_TRUE(writer.Add(rename ? rename(t.name) : t.name, dtype, t.shape, zeros).ok());
    }
    ASSERT_TRUE(writer.Write(dir_.Path("model.safetensors")).ok());
  }

  void WriteQwen() {
    config_ = Config(Arch::kQwen2);
    dir_.Write("config.json", ModelConfigToJson(config_));
    WriteTokenizer(kQwenSpecials);
    dir_.Write("tokenizer_config.json", json({{"eos_token", "<|im_end|>"},
                                              {"pad_token", "<|endoftext|>"},
                                              {"bos_token", nullptr},
                                              {"chat_template", kChatML}})
                                            .dump());
    dir_.Write("generation_config.json",
               R"({"bos_token_id": 297, "eos_token_id": [299, 297], "pad_token_id": 297,
                   "temperature": 0.7, "top_p": 0.8, "top_k": 20})");
    WriteWeights(config_);
  }

  std::string OpenError() {
    auto ckpt = OpenCheckpoint(dir_.path());
    EXPECT_FALSE(ckpt.ok());
    return ckpt.ok() ? "" : ckpt.status().message();
  }

  TestDir dir_;
  ModelConfig config_;
};

TEST_F(CheckpointTest, OpensQwen2) {
  WriteQwen();
  auto ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  const Checkpoint& c = **ckpt;
  EXPECT_EQ(c.dir, dir_.path());
  EXPECT_EQ(c.config.arch, Arch::kQwen2);
  EXPECT_EQ(c.tokenizer->vocab_size(), 300);
  EXPECT_EQ(c.tokenizer->TokenId("<|im_end|>"), 299);
  EXPECT_EQ(c.generation.bos_token_id, 297);
  EXPECT_EQ(c.generation.eos_token_ids, (std::vector<int32_t>{299, 297}));
  EXPECT_EQ(c.generation.pad_token_id, 297);
  EXPECT_FALSE(c.generation.add_bos);
  EXPECT_EQ(c.generation.chat_format, tokenizer::ChatFormat::kChatML);
  EXPECT_EQ(c.generation.default_system, "You are a helpful assistant.");
  EXPECT_EQ(c.generation.temperature, 0.7);
  EXPECT_EQ(c.generation.top_p, 0.8);
  EXPECT_EQ(c.generation.top_k, 20);
  EXPECT_EQ(c.tensors.All().size(), ExpectedTensors(c.config).size());
  auto q_bias = RequireWeight(c, "model.layers.1.self_attn.q_proj.bias", {16});
  ASSERT_TRUE(q_bias.ok()) << q_bias.status().message();
}

TEST_F(CheckpointTest, OptionalFilesFallBack) {
  WriteQwen();
  std::filesystem::remove(dir_.Path("generation_config.json"));
  auto ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  // EOS and pad from tokenizer_config.json's tokens; sampling defaults stay.
  EXPECT_EQ((*ckpt)->generation.eos_token_ids, std::vector<int32_t>{299});
  EXPECT_EQ((*ckpt)->generation.pad_token_id, 297);
  EXPECT_EQ((*ckpt)->generation.bos_token_id, -1);
  EXPECT_EQ((*ckpt)->generation.temperature, 1.0);

  // Without tokenizer_config.json either: ids from config.json, ChatML, no
  // default system prompt.
  std::filesystem::remove(dir_.Path("tokenizer_config.json"));
  json config = json::parse(ModelConfigToJson(config_));
  config["eos_token_id"] = 299;
  dir_.Write("config.json", config.dump());
  ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_EQ((*ckpt)->generation.eos_token_ids, std::vector<int32_t>{299});
  EXPECT_EQ((*ckpt)->generation.chat_format, tokenizer::ChatFormat::kChatML);
  EXPECT_EQ((*ckpt)->generation.default_system, "");
}

TEST_F(CheckpointTest, MissingFilesAreNamed) {
  WriteQwen();
  std::filesystem::remove(dir_.Path("tokenizer.json"));
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("tokenizer.json") + ": not found"));
  std::filesystem::remove(dir_.Path("config.json"));
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("config.json") + ": not found"));
  auto absent = OpenCheckpoint(dir_.Path("nothing-here"));
  ASSERT_FALSE(absent.ok());
  EXPECT_THAT(absent.status().message(), HasSubstr("nothing-here: not a checkpoint directory"));
}

TEST_F(CheckpointTest, NoWeights) {
  WriteQwen();
  std::filesystem::remove(dir_.Path("model.safetensors"));
  EXPECT_THAT(OpenError(), HasSubstr("no *.safetensors files"));
}

TEST_F(CheckpointTest, CorruptFilesAreNamed) {
  WriteQwen();
  dir_.Write("generation_config.json", "{\"eos_token_id\": ");
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("generation_config.json")));
  dir_.Write("generation_config.json", "{}");
  dir_.Write("tokenizer_config.json", "[]");
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("tokenizer_config.json")));
  dir_.Write("tokenizer_config.json", "{}");
  dir_.Write("tokenizer.json", "{\"model\": 3}");
  EXPECT_THAT(OpenError(), HasSubstr("tokenizer.json"));
  WriteTokenizer(kQwenSpecials);
  dir_.Write("config.json", "{\"model_type\": \"qwen2\"");
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("config.json")));
}

TEST_F(CheckpointTest, TruncatedWeightsNameTheFile) {
  WriteQwen();
  std::string bytes = dir_.Read("model.safetensors");
  dir_.Write("model.safetensors", bytes.substr(0, bytes.size() - 100));
  std::string message = OpenError();
  EXPECT_THAT(message, HasSubstr(dir_.Path("model.safetensors")));
  EXPECT_THAT(message, HasSubstr("truncated"));
}

TEST_F(CheckpointTest, TokenizerLargerThanVocab) {
  WriteQwen();
  json config = json::parse(ModelConfigToJson(config_));
  config["vocab_size"] = 200;
  dir_.Write("config.json", config.dump());
  EXPECT_THAT(OpenError(), HasSubstr("tokenizer.json has 300 tokens but config.json vocab_size "
                                     "is 200"));
}

TEST_F(CheckpointTest, SpecialIdsMustFit) {
  WriteQwen();
  dir_.Write("generation_config.json", R"({"eos_token_id": [299, 5000]})");
  EXPECT_THAT(OpenError(), HasSubstr("eos_token_id 5000 is not below config.json vocab_size 320"));
  dir_.Write("generation_config.json", "{}");
  dir_.Write("tokenizer_config.json", R"({"eos_token": "<|not-a-token|>"})");
  std::string message = OpenError();
  EXPECT_THAT(message, HasSubstr(dir_.Path("tokenizer_config.json")));
  EXPECT_THAT(message, HasSubstr("'eos_token' is '<|not-a-token|>'"));
}

TEST_F(CheckpointTest, UnknownChatTemplate) {
  WriteQwen();
  dir_.Write("tokenizer_config.json", R"({"chat_template": "[INST] {{ m }} [/INST]"})");
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("tokenizer_config.json")));
}

TEST_F(CheckpointTest, MissingOrMisshapenWeights) {
  WriteQwen();
  WriteWeights(config_, DType::kF32, nullptr, "model.layers.1.mlp.up_proj.weight");
  std::string message = OpenError();
  EXPECT_THAT(message, HasSubstr(dir_.path()));
  EXPECT_THAT(message,
              HasSubstr("'model.layers.1.mlp.up_proj.weight' (shape [32, 16]) is missing"));

  // The same checkpoint claiming a wider MLP: every shape disagrees.
  WriteWeights(config_);
  json config = json::parse(ModelConfigToJson(config_));
  config["intermediate_size"] = 48;
  dir_.Write("config.json", config.dump());
  message = OpenError();
  EXPECT_THAT(message, HasSubstr(dir_.Path("model.safetensors")));
  EXPECT_THAT(message, HasSubstr("'model.layers.0.mlp.gate_proj.weight' has shape [32, 16] but "
                                 "[48, 16] was expected"));
}

TEST_F(CheckpointTest, IntegerWeightsAreRefused) {
  WriteQwen();
  WriteWeights(config_, DType::kI32);
  EXPECT_THAT(OpenError(), HasSubstr("is I32; weights must be F32, F16 or BF16"));
}

TEST_F(CheckpointTest, Llama3AddsBosThroughItsPostProcessor) {
  config_ = Config(Arch::kLlama);
  dir_.Write("config.json", ModelConfigToJson(config_));
  WriteTokenizer(kLlamaSpecials);
  json tok = json::parse(dir_.Read("tokenizer.json"));
  tok["post_processor"] = {{"type", "TemplateProcessing"},
                           {"single",
                            {{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}},
                             {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                           {"pair", json::array()},
                           {"special_tokens", json::object()}};
  dir_.Write("tokenizer.json", tok.dump());
  dir_.Write("tokenizer_config.json",
             json({{"bos_token", "<|begin_of_text|>"},
                   {"eos_token", "<|eot_id|>"},
                   {"chat_template",
                    "{{ bos_token }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] "
                    "+ '<|end_header_id|>\\n\\n' + m['content'] | trim + '<|eot_id|>' }}"
                    "{% endfor %}"}})
                 .dump());
  WriteWeights(config_, DType::kBF16);
  auto ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  const GenerationDefaults& g = (*ckpt)->generation;
  EXPECT_EQ(g.bos_token_id, 295);
  EXPECT_EQ(g.eos_token_ids, std::vector<int32_t>{299});
  EXPECT_TRUE(g.add_bos);
  EXPECT_EQ(g.chat_format, tokenizer::ChatFormat::kLlama3);
  EXPECT_EQ(g.default_system, "");
  EXPECT_EQ((*ckpt)->tensors.Find("lm_head.weight")->dtype, DType::kBF16);

  // add_bos_token, when written, decides.
  json tok_config = json::parse(dir_.Read("tokenizer_config.json"));
  tok_config["add_bos_token"] = false;
  dir_.Write("tokenizer_config.json", tok_config.dump());
  ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok());
  EXPECT_FALSE((*ckpt)->generation.add_bos);
}

TEST_F(CheckpointTest, BertWithAndWithoutPrefix) {
  config_ = Config(Arch::kBert);
  dir_.Write("config.json", ModelConfigToJson(config_));
  WriteTokenizer(kBertSpecials);
  dir_.Write("tokenizer_config.json", R"({"pad_token": "[PAD]", "cls_token": "[CLS]"})");
  WriteWeights(config_, DType::kF16, [](const std::string& n) { return BertPrefixed(n); });
  auto ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_TRUE((*ckpt)->config.is_cross_encoder());
  EXPECT_EQ((*ckpt)->generation.pad_token_id, 295);
  auto word = RequireWeight(**ckpt, "embeddings.word_embeddings.weight", {320, 16});
  ASSERT_TRUE(word.ok());
  EXPECT_EQ((*word)->name, "bert.embeddings.word_embeddings.weight");
  auto classifier = RequireWeight(**ckpt, "classifier.weight", {1, 16});
  ASSERT_TRUE(classifier.ok());
  EXPECT_EQ((*classifier)->name, "classifier.weight");

  WriteWeights(config_);  // unprefixed, as BertModel checkpoints store them
  ckpt = OpenCheckpoint(dir_.path());
  ASSERT_TRUE(ckpt.ok()) << ckpt.status().message();
  EXPECT_EQ((*RequireWeight(**ckpt, "encoder.layer.1.output.dense.weight", {16, 32}))->name,
            "encoder.layer.1.output.dense.weight");
}

}  // namespace
}  // namespace hai::checkpoint
