#pragma once

// engine_bench's measurements of one checkpoint: the engine (DecoderModel
// driven by a real StepLoop) first, then the eager reference, each with the
// peak resident memory of its phases.

#include <cstdint>
#include <string>
#include <vector>

#include "bench/engine_bench_load.h"
#include "lib/base/status.h"
#include "lib/checkpoint/model_config.h"
#include "lib/transformer/decoder_model.h"

namespace hai::bench {

struct BenchSettings {
  int threads = 2;
  transformer::ComputeType dtype = transformer::ComputeType::kF32;
  std::vector<int> prefill_lengths = {512, 2048};
  int rounds = 3;          // prefill and batch-1 decode: best of this many
  int decode_prompt = 32;  // prompt before the batch-1 decode
  int decode_tokens = 64;  // batch-1 decode length
  std::vector<int> streams = {1, 8, 32};
  int stream_prompt = 32;
  int stream_tokens = 128;  // per stream
  int arrivals = 64;        // TTFT under load
  int arrival_prompt_min = 32, arrival_prompt_max = 256;
  int arrival_tokens_min = 16, arrival_tokens_max = 64;
  int background_streams = 8;  // decoding while the arrivals come
  double utilisation = 0.5;    // offered load as a share of the estimated capacity
  uint64_t seed = 42;
  double phase_timeout_s = 300;  // bound on each phase's waits
};

// A figure with the peak resident set of the phase that measured it (MiB;
// VmHWM, reset before the phase, so it includes the weights already held).
struct Figure {
  double value = -1;  // < 0: not measured (an error says why)
  double peak_rss_mib = 0;
  std::string error;
};

struct StreamRow {
  int streams = 0;
  Figure aggregate;                 // output tokens / s over all streams, prompts included
  double steady_tokens_per_s = -1;  // while every stream was decoding
  double ttft_mean_s = 0;
  uint64_t preemptions = 0;
};

struct ModelFigures {
  checkpoint::ModelConfig config;
  int64_t parameters = 0;
  double engine_weights_mib = 0, eager_weights_mib = 0;
  // Loading: the peak while loading, and what stays resident after it.
  double engine_load_peak_mib = 0, eager_load_peak_mib = 0;
  double engine_load_rss_mib = 0, eager_load_rss_mib = 0;
  std::vector<std::pair<Figure, Figure>> prefill;  // per length: engine, eager
  Figure engine_decode, eager_decode;              // batch 1, tokens / s
  std::vector<StreamRow> streams;
  Figure ttft_p50, ttft_p99;  // seconds
  TtftFigures ttft;
  double arrival_rate = 0;  // requests / s offered
  // The reference computes the same thing: the greedy tokens that agree from
  // the start, and the largest logit difference after the decode prompt.
  int greedy_agree = 0, greedy_total = 0;
  double max_logit_diff = -1;
};

// Everything above for the checkpoint in `dir`. Fails only when the
// checkpoint cannot be opened or loaded; a phase that fails leaves its error
// in its figure.
Result<ModelFigures> BenchModel(const std::string& dir, const BenchSettings& settings);

// /proc/self/status, in MiB: the current and the peak resident set.
double CurrentRssMib();
double PeakRssMib();

}  // namespace hai::bench
