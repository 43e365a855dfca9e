// Prefill and decode speed of a random 6-layer, 512-wide Llama-style decoder
// in each precision, at batch 1 and 32. A measuring tool, not a test:
//   transformer_bench [threads]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "lib/transformer/decoder_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {
namespace {

constexpr int kPrompt = 128;
constexpr int kDecodeSteps = 32;
constexpr int kRounds = 3;

checkpoint::ModelConfig BenchConfig() {
  checkpoint::ModelConfig c = TinyDecoderConfig(/*attention_bias=*/true, /*tied=*/false);
  c.vocab_size = 32000;
  c.hidden_size = 512;
  c.intermediate_size = 1408;
  c.num_layers = 6;
  c.num_heads = 8;
  c.num_kv_heads = 4;
  c.head_dim = 64;
  c.max_position = 4096;
  return c;
}

double Seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Tokens per second of prefilling `batch` prompts at once, then of `batch`
// sequences decoding together.
bool Measure(DecoderModel& model, int batch, double* prefill_rate, double* decode_rate) {
  TestRandom random(99);
  std::vector<std::unique_ptr<KvCache>> caches;
  std::vector<std::vector<int32_t>> prompts;
  std::vector<StepInput> inputs;
  for (int i = 0; i < batch; ++i) {
    caches.push_back(model.NewCache());
    if (!caches.back()->Reserve(kPrompt + kDecodeSteps).ok()) return false;
    prompts.push_back(RandomTokens(random, kPrompt, model.config().vocab_size));
  }
  for (int i = 0; i < batch; ++i) inputs.push_back({caches[size_t(i)].get(), prompts[size_t(i)]});
  double start = Seconds();
  if (!model.Step(inputs).ok()) return false;
  *prefill_rate = batch * kPrompt / (Seconds() - start);

  std::vector<int32_t> next(size_t(batch), 7);
  for (int i = 0; i < batch; ++i) inputs[size_t(i)].tokens = {&next[size_t(i)], 1};
  start = Seconds();
  for (int step = 0; step < kDecodeSteps; ++step) {
    auto out = model.Step(inputs);
    if (!out.ok()) return false;
    for (int i = 0; i < batch; ++i) next[size_t(i)] = ArgMax((*out)[size_t(i)].logits);
  }
  *decode_rate = batch * kDecodeSteps / (Seconds() - start);
  return true;
}

// The logits after a fixed 128-token prompt, to compare precisions.
std::vector<float> FixedLogits(DecoderModel& model) {
  TestRandom random(5);
  const std::vector<int32_t> prompt = RandomTokens(random, kPrompt, model.config().vocab_size);
  auto cache = model.NewCache();
  auto out = StepAlone(model, *cache, prompt);
  return out.ok() ? out->logits : std::vector<float>{};
}

int Run(int threads) {
  const checkpoint::ModelConfig config = BenchConfig();
  const Weights weights = RandomWeights(config, 1);
  struct Variant {
    const char* name;
    ModelOptions options;
  };
  const Variant variants[] = {{"f32", {ComputeType::kF32, false, threads}},
                              {"bf16", {ComputeType::kBF16, false, threads}},
                              {"int8 (f32)", {ComputeType::kF32, true, threads}},
                              {"int8 (bf16)", {ComputeType::kBF16, true, threads}}};
  std::printf("6 layers, hidden 512, 8 heads / 4 kv, vocab 32000, prompt %d, %d threads\n", kPrompt,
              threads);
  std::printf("%-12s %8s %18s %18s %18s %18s %12s\n", "variant", "MiB", "prefill b1 tok/s",
              "decode b1 tok/s", "prefill b32 tok/s", "decode b32 tok/s", "logit error");
  std::vector<float> f32_logits;
  for (const Variant& v : variants) {
    auto model = LoadDecoder(config, weights, v.options);
    if (!model.ok()) {
      std::fprintf(stderr, "%s: %s\n", v.name, model.status().ToString().c_str());
      return 1;
    }
    // The best of a few rounds: the machine may be shared, and what is
    // wanted is the speed of the code, not of the neighbours.
    double p1 = 0, d1 = 0, p32 = 0, d32 = 0;
    for (int round = 0; round < kRounds; ++round) {
      double p1_now = 0, d1_now = 0, p32_now = 0, d32_now = 0;
      if (!Measure(**model, 1, &p1_now, &d1_now) || !Measure(**model, 32, &p32_now, &d32_now)) {
        std::fprintf(stderr, "%s: a step failed\n", v.name);
        return 1;
      }
      p1 = std::max(p1, p1_now);
      d1 = std::max(d1, d1_now);
      p32 = std::max(p32, p32_now);
      d32 = std::max(d32, d32_now);
    }
    // Largest |logit − f32 logit| / max(1, |f32 logit|) after the fixed prompt.
    const std::vector<float> logits = FixedLogits(**model);
    if (f32_logits.empty()) f32_logits = logits;
    std::printf("%-12s %8.1f %18.0f %18.1f %18.0f %18.1f %12.4f\n", v.name,
                double((*model)->WeightBytes()) / (1 << 20), p1, d1, p32, d32,
                MaxError(logits, f32_logits));
  }
  return 0;
}

}  // namespace
}  // namespace hai::transformer

int main(int argc, char** argv) { return hai::transformer::Run(argc > 1 ? std::atoi(argv[1]) : 2); }
