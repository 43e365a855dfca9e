#pragma once

// Test-only: tiny random checkpoints written to a scratch directory.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/transformer/decoder_model.h"
#include "lib/transformer/encoder_model.h"

namespace hai::transformer {

// splitmix64: the same numbers on every platform, unlike std's distributions.
class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  float Uniform(float low, float high);
  int32_t Below(int32_t limit);  // [0, limit)

 private:
  uint64_t state_;
};

// Tensor name → values (row-major), every tensor of a checkpoint.
using Weights = std::map<std::string, std::vector<float>>;

// 2 layers, hidden 64, 4 heads over 2 kv heads of 16, vocab 300, RoPE theta 1e6.
checkpoint::ModelConfig TinyDecoderConfig(bool attention_bias, bool tied);
// 2 layers, hidden 64, 4 heads, vocab 300, 64 positions; num_labels > 0 adds
// a classification head.
checkpoint::ModelConfig TinyEncoderConfig(int num_labels);

// Weights for every tensor checkpoint::ExpectedTensors lists, scaled so that
// activations stay near unit size (norm weights near 1, small biases).
Weights RandomWeights(const checkpoint::ModelConfig& config, uint64_t seed);

// Writes `weights` as dir/model.safetensors in f32 (or bf16, rounding each
// value), with each name passed through `rename` when given.
Status WriteCheckpoint(const checkpoint::ModelConfig& config, const Weights& weights,
                       const std::string& dir, bool bf16 = false,
                       std::string (*rename)(const std::string&) = nullptr);

// A fresh directory under $TMPDIR, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `weights` to a scratch directory and loads them; the checkpoint is
// closed and deleted before this returns, so the model must hold copies.
Result<std::unique_ptr<DecoderModel>> LoadDecoder(const checkpoint::ModelConfig& config,
                                                  const Weights& weights,
                                                  const ModelOptions& options = {});
Result<std::unique_ptr<EncoderModel>> LoadEncoder(
    const checkpoint::ModelConfig& config, const Weights& weights, const ModelOptions& options = {},
    std::string (*rename)(const std::string&) = nullptr);

// Appends `tokens` to `cache` in a step of its own, reserving room first.
Result<StepOutput> StepAlone(DecoderModel& model, KvCache& cache, std::span<const int32_t> tokens,
                             int prompt_top_n = -1);

// The largest |got − want| / max(1, |want|); infinity when the sizes differ.
double MaxError(const std::vector<float>& got, const std::vector<float>& want);
int ArgMax(const std::vector<float>& values);

// A random token sequence of `length` ids below `vocab`.
std::vector<int32_t> RandomTokens(TestRandom& random, int length, int vocab);

}  // namespace hai::transformer
