#include "daemons/engine/tiny_checkpoint.h"

#include <cmath>
#include <fstream>
#include <random>
#include <vector>

#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/tensor_layout.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::engine {
namespace {

constexpr const char* kCorpus =
    "The quick brown fox jumps over the lazy dog. A hospital runs its own models on "
    "its own machines; the engine batches requests, samples tokens and stops on "
    "the right strings. Ünïcödé text, emoji 🙂 and 中文 also appear here. ";

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Internal("cannot write " + path);
  return Status::Ok();
}

checkpoint::ModelConfig ConfigFor(const TinyModelSpec& spec) {
  checkpoint::ModelConfig c;
  c.arch = checkpoint::Arch::kQwen2;
  c.architecture = "Qwen2ForCausalLM";
  c.vocab_size = spec.vocab_size;
  c.hidden_size = spec.hidden_size;
  c.intermediate_size = spec.intermediate_size;
  c.num_layers = spec.num_layers;
  c.num_heads = spec.num_heads;
  c.num_kv_heads = spec.num_kv_heads;
  c.head_dim = spec.hidden_size / spec.num_heads;
  c.max_position = spec.max_position;
  c.rope_theta = 10000.0;
  c.norm_eps = 1e-6;
  c.tie_word_embeddings = false;
  c.attention_bias = true;
  c.torch_dtype = "float32";
  return c;
}

std::vector<float> Values(const checkpoint::ExpectedTensor& t, float scale, std::mt19937_64& rng) {
  int64_t count = 1;
  for (int64_t d : t.shape) count *= d;
  std::vector<float> values(static_cast<size_t>(count));
  switch (t.role) {
    case checkpoint::TensorRole::kNormWeight:
      std::fill(values.begin(), values.end(), 1.0f);
      return values;
    case checkpoint::TensorRole::kNormBias:
      return values;
    default:
      break;
  }
  const int64_t fan_in = t.shape.size() == 2 ? t.shape[1] : t.shape[0];
  const double bound = scale / std::sqrt(static_cast<double>(fan_in));
  for (float& v : values) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
    v = static_cast<float>((2 * u - 1) * bound);
  }
  return values;
}

}  // namespace

Status WriteTinyCheckpoint(const std::string& dir, const TinyModelSpec& spec) {
  Result<std::string> tokenizer_json =
      tokenizer::TrainByteLevelBpe(kCorpus, spec.vocab_size, {kTinyEos});
  if (!tokenizer_json.ok()) return tokenizer_json.status();
  HAI_RETURN_IF_ERROR(WriteText(dir + "/tokenizer.json", *tokenizer_json));
  Result<std::unique_ptr<tokenizer::Tokenizer>> tok =
      tokenizer::Tokenizer::FromJson(*tokenizer_json, dir + "/tokenizer.json");
  if (!tok.ok()) return tok.status();
  const std::optional<int32_t> eos = (*tok)->TokenId(kTinyEos);
  if (!eos) return Status::Internal("the trained tokenizer lacks its EOS token");

  const checkpoint::ModelConfig config = ConfigFor(spec);
  HAI_RETURN_IF_ERROR(WriteText(dir + "/config.json", checkpoint::ModelConfigToJson(config)));
  const std::string eos_text = std::to_string(*eos);
  HAI_RETURN_IF_ERROR(
      WriteText(dir + "/generation_config.json",
                "{\"eos_token_id\": [" + eos_text + "], \"bos_token_id\": " + eos_text + "}"));
  HAI_RETURN_IF_ERROR(
      WriteText(dir + "/tokenizer_config.json",
                std::string("{\"eos_token\": \"") + kTinyEos + "\", \"add_bos_token\": false}"));

  std::mt19937_64 rng(spec.seed);
  checkpoint::SafetensorsWriter writer;
  for (const checkpoint::ExpectedTensor& t : checkpoint::ExpectedTensors(config)) {
    std::vector<float> values = Values(t, spec.scale, rng);
    HAI_RETURN_IF_ERROR(writer.AddF32(t.name, t.shape, values));
  }
  return writer.Write(dir + "/model.safetensors");
}

Result<TinyModel> LoadTinyModel(const std::string& dir) {
  TinyModel tiny;
  HAI_ASSIGN_OR_RETURN(tiny.ckpt, checkpoint::OpenCheckpoint(dir));
  transformer::ModelOptions options;
  options.threads = 1;
  HAI_ASSIGN_OR_RETURN(
      tiny.model, transformer::DecoderModel::Load(tiny.ckpt->config, tiny.ckpt->tensors, options));
  return tiny;
}

}  // namespace hai::engine
