#include "lib/transformer/test_models.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/tensor_layout.h"

namespace hai::transformer {

uint64_t TestRandom::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

float TestRandom::Uniform(float low, float high) {
  const double unit = static_cast<double>(Next() >> 11) / static_cast<double>(1ULL << 53);
  return low + static_cast<float>(unit) * (high - low);
}

int32_t TestRandom::Below(int32_t limit) {
  return static_cast<int32_t>(Next() % static_cast<uint64_t>(limit));
}

checkpoint::ModelConfig TinyDecoderConfig(bool attention_bias, bool tied) {
  checkpoint::ModelConfig c;
  c.arch = attention_bias ? checkpoint::Arch::kQwen2 : checkpoint::Arch::kLlama;
  c.architecture = attention_bias ? "Qwen2ForCausalLM" : "LlamaForCausalLM";
  c.vocab_size = 300;
  c.hidden_size = 64;
  c.intermediate_size = 128;
  c.num_layers = 2;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = 16;
  c.max_position = 256;
  c.rope_theta = 1e6;
  c.norm_eps = 1e-6;
  c.tie_word_embeddings = tied;
  c.attention_bias = attention_bias;
  return c;
}

checkpoint::ModelConfig TinyEncoderConfig(int num_labels) {
  checkpoint::ModelConfig c;
  c.arch = checkpoint::Arch::kBert;
  c.architecture = num_labels > 0 ? "BertForSequenceClassification" : "BertModel";
  c.vocab_size = 300;
  c.hidden_size = 64;
  c.intermediate_size = 128;
  c.num_layers = 2;
  c.num_heads = 4;
  c.num_kv_heads = 4;
  c.head_dim = 16;
  c.max_position = 64;
  c.norm_eps = 1e-12;
  c.type_vocab_size = 2;
  c.num_labels = num_labels;
  return c;
}

Weights RandomWeights(const checkpoint::ModelConfig& config, uint64_t seed) {
  TestRandom random(seed);
  Weights weights;
  for (const checkpoint::ExpectedTensor& t : checkpoint::ExpectedTensors(config)) {
    int64_t count = 1;
    for (int64_t dim : t.shape) count *= dim;
    std::vector<float> values(static_cast<size_t>(count));
    // Uniform(-a, a) has variance a²/3: a = √(3/in) keeps a linear layer's
    // outputs at the scale of its inputs.
    const float linear = t.shape.size() == 2 ? std::sqrt(3.0f / static_cast<float>(t.shape[1])) : 0;
    for (float& v : values) {
      switch (t.role) {
        case checkpoint::TensorRole::kEmbedding:
          v = random.Uniform(-1.0f, 1.0f);
          break;
        case checkpoint::TensorRole::kLinearWeight:
          v = random.Uniform(-linear, linear);
          break;
        case checkpoint::TensorRole::kNormWeight:
          v = random.Uniform(0.8f, 1.2f);
          break;
        case checkpoint::TensorRole::kBias:
        case checkpoint::TensorRole::kNormBias:
          v = random.Uniform(-0.1f, 0.1f);
          break;
      }
    }
    weights[t.name] = std::move(values);
  }
  return weights;
}

Status WriteCheckpoint(const checkpoint::ModelConfig& config, const Weights& weights,
                       const std::string& dir, bool bf16,
                       std::string (*rename)(const std::string&)) {
  checkpoint::SafetensorsWriter writer;
  for (const checkpoint::ExpectedTensor& t : checkpoint::ExpectedTensors(config)) {
    auto it = weights.find(t.name);
    if (it == weights.end()) continue;  // a test left it out on purpose
    const std::string name = rename ? rename(t.name) : t.name;
    if (!bf16) {
      HAI_RETURN_IF_ERROR(writer.AddF32(name, t.shape, it->second));
      continue;
    }
    std::vector<uint16_t> halves;
    for (float v : it->second) halves.push_back(checkpoint::FloatToBFloat16(v));
    HAI_RETURN_IF_ERROR(writer.Add(name, checkpoint::DType::kBF16, t.shape,
                                   std::as_bytes(std::span<const uint16_t>(halves))));
  }
  return writer.Write(dir + "/model.safetensors");
}

ScratchDir::ScratchDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "hai-transformer-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Result<std::unique_ptr<DecoderModel>> LoadDecoder(const checkpoint::ModelConfig& config,
                                                  const Weights& weights,
                                                  const ModelOptions& options) {
  ScratchDir dir;
  HAI_RETURN_IF_ERROR(WriteCheckpoint(config, weights, dir.path()));
  HAI_ASSIGN_OR_RETURN(checkpoint::TensorSet tensors, checkpoint::TensorSet::Open(dir.path()));
  return DecoderModel::Load(config, tensors, options);
}

Result<std::unique_ptr<EncoderModel>> LoadEncoder(const checkpoint::ModelConfig& config,
                                                  const Weights& weights,
                                                  const ModelOptions& options,
                                                  std::string (*rename)(const std::string&)) {
  ScratchDir dir;
  HAI_RETURN_IF_ERROR(WriteCheckpoint(config, weights, dir.path(), /*bf16=*/false, rename));
  HAI_ASSIGN_OR_RETURN(checkpoint::TensorSet tensors, checkpoint::TensorSet::Open(dir.path()));
  return EncoderModel::Load(config, tensors, options);
}

Result<StepOutput> StepAlone(DecoderModel& model, KvCache& cache, std::span<const int32_t> tokens,
                             int prompt_top_n) {
  HAI_RETURN_IF_ERROR(cache.Reserve(cache.length() + static_cast<int64_t>(tokens.size())));
  const StepInput input{&cache, tokens, prompt_top_n, /*want_logits=*/true};
  HAI_ASSIGN_OR_RETURN(std::vector<StepOutput> outputs, model.Step({&input, 1}));
  return std::move(outputs.front());
}

double MaxError(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double error =
        std::fabs(double(got[i]) - want[i]) / std::max(1.0, std::fabs(double(want[i])));
    if (std::isnan(error)) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, error);
  }
  return worst;
}

int ArgMax(const std::vector<float>& values) {
  return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

std::vector<int32_t> RandomTokens(TestRandom& random, int length, int vocab) {
  std::vector<int32_t> tokens;
  for (int i = 0; i < length; ++i) tokens.push_back(random.Below(vocab));
  return tokens;
}

}  // namespace hai::transformer
