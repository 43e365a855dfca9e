#include "bench/engine_bench_model.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "bench/engine_bench_reference.h"
#include "daemons/engine/step_loop.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/metrics/registry.h"

namespace hai::bench {
namespace {

using transformer::DecoderModel;

// "VmHWM" and the like from /proc/self/status, in MiB; 0 when absent.
double StatusMib(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    double kib = 0;
    fields >> kib;
    return kib / 1024.0;
  }
  return 0;
}

// Writing 5 to clear_refs sets the peak back to the current resident set
// (Linux 4.0+), so each phase's peak is its own; where that is refused the
// peak is the process's so far, which can only overstate.
void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// Runs one measurement and records its value (or error) and peak memory.
template <typename Fn>
Figure Measure(Fn&& fn) {
  ResetPeakRss();
  Figure figure;
  Result<double> value = fn();
  figure.peak_rss_mib = PeakRssMib();
  if (value.ok()) {
    figure.value = *value;
  } else {
    figure.error = value.status().ToString();
  }
  return figure;
}

int32_t ArgMax(const std::vector<float>& logits) {
  return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

// The prompts and arrivals of one run, drawn once so that the engine and the
// reference see the same tokens.
struct Workload {
  std::vector<std::vector<std::vector<int32_t>>> prefill;  // [length][round]
  std::vector<int32_t> decode;
  std::vector<std::vector<std::vector<int32_t>>> streams;  // [row][stream]
  std::vector<std::vector<int32_t>> background;
  std::vector<Arrival> arrivals;  // times filled in once the capacity is known
};

std::vector<int32_t> RandomPrompt(std::mt19937_64& rng, int length, int32_t vocab) {
  std::uniform_int_distribution<int32_t> token(0, vocab - 1);
  std::vector<int32_t> prompt(static_cast<size_t>(length));
  for (int32_t& t : prompt) t = token(rng);
  return prompt;
}

// Prompt tokens come from the tokenizer's ids (a checkpoint's vocab_size may
// be padded beyond them); outputs may be any id the model chooses.
Workload MakeWorkload(const BenchSettings& s, int32_t vocab) {
  std::mt19937_64 rng(s.seed);
  Workload w;
  for (int length : s.prefill_lengths) {
    w.prefill.emplace_back();
    for (int r = 0; r < s.rounds; ++r) w.prefill.back().push_back(RandomPrompt(rng, length, vocab));
  }
  w.decode = RandomPrompt(rng, s.decode_prompt, vocab);
  for (int n : s.streams) {
    w.streams.emplace_back();
    for (int i = 0; i < n; ++i)
      w.streams.back().push_back(RandomPrompt(rng, s.stream_prompt, vocab));
  }
  for (int i = 0; i < s.background_streams; ++i)
    w.background.push_back(RandomPrompt(rng, s.stream_prompt, vocab));
  std::uniform_int_distribution<int> prompt_len(s.arrival_prompt_min, s.arrival_prompt_max);
  std::uniform_int_distribution<int> out_len(s.arrival_tokens_min, s.arrival_tokens_max);
  for (int i = 0; i < s.arrivals; ++i) {
    Arrival a;
    a.prompt = RandomPrompt(rng, prompt_len(rng), vocab);
    a.max_tokens = out_len(rng);
    w.arrivals.push_back(std::move(a));
  }
  return w;
}

// Exponential gaps of mean 1/rate, each cut at four means so one unlucky
// draw cannot stretch the phase: Poisson-like arrivals, bounded.
void ScheduleArrivals(std::vector<Arrival>* arrivals, double rate, uint64_t seed) {
  std::mt19937_64 rng(seed + 1);
  std::exponential_distribution<double> gap(rate);
  double at = 0;
  for (Arrival& a : *arrivals) {
    a.at_s = at;
    at += std::min(gap(rng), 4.0 / rate);
  }
}

// The engine's logits after `prompt`, straight from the model (before the
// step loop owns it).
Result<std::vector<float>> EngineLogits(DecoderModel& model, const std::vector<int32_t>& prompt) {
  std::unique_ptr<transformer::KvCache> cache = model.NewCache();
  HAI_RETURN_IF_ERROR(cache->Reserve(static_cast<int64_t>(prompt.size())));
  transformer::StepInput input;
  input.cache = cache.get();
  input.tokens = prompt;
  HAI_ASSIGN_OR_RETURN(std::vector<transformer::StepOutput> out, model.Step({&input, 1}));
  return std::move(out.at(0).logits);
}

// The reference and the prompts must suit the checkpoint.
Status CheckModel(const BenchSettings& s, const checkpoint::ModelConfig& config) {
  if (config.arch != checkpoint::Arch::kLlama && config.arch != checkpoint::Arch::kQwen2)
    return Status::InvalidArgument("a " + std::string(checkpoint::ArchName(config.arch)) +
                                   " checkpoint is not a Llama or Qwen2 decoder");
  for (int length : s.prefill_lengths) {
    if (length + 1 >= config.max_position)
      return Status::InvalidArgument(
          "a " + std::to_string(length) + "-token prompt does not fit the context of " +
          std::to_string(config.max_position) + " (--quick prefills 512 tokens only)");
  }
  return Status::Ok();
}

void RunUnderLoad(engine::StepLoop& loop, int64_t context, const BenchSettings& s, Workload& w,
                  ModelFigures& f);

// The engine's phases, through a real StepLoop.
void RunEngine(const checkpoint::Checkpoint& ckpt, DecoderModel& model, const BenchSettings& s,
               Workload& w, ModelFigures& f, std::vector<int32_t>* greedy) {
  metrics::Registry registry;
  engine::StepLoop loop(&ckpt, &model, engine::StepLoopOptions{}, &registry, "bench");
  loop.Start();
  (void)MeasureDecode(loop, w.decode, 8, s.phase_timeout_s);  // warm-up: first-call costs
  for (size_t i = 0; i < w.prefill.size(); ++i) {
    f.prefill[i].first = Measure([&]() -> Result<double> {
      double best = 0;
      for (const auto& prompt : w.prefill[i]) {
        HAI_ASSIGN_OR_RETURN(double rate, MeasurePrefill(loop, prompt, s.phase_timeout_s));
        best = std::max(best, rate);
      }
      return best;
    });
  }
  f.engine_decode = Measure([&]() -> Result<double> {
    double best = 0;
    for (int r = 0; r < s.rounds; ++r) {
      HAI_ASSIGN_OR_RETURN(DecodeFigures d,
                           MeasureDecode(loop, w.decode, s.decode_tokens, s.phase_timeout_s));
      best = std::max(best, d.tokens_per_s);
      if (greedy->empty()) *greedy = std::move(d.output);
    }
    return best;
  });
  for (size_t i = 0; i < s.streams.size(); ++i) {
    StreamRow row;
    row.streams = s.streams[i];
    row.aggregate = Measure([&]() -> Result<double> {
      HAI_ASSIGN_OR_RETURN(StreamFigures sf,
                           MeasureStreams(loop, w.streams[i], s.stream_tokens, s.phase_timeout_s));
      row.ttft_mean_s = sf.ttft_mean_s;
      row.steady_tokens_per_s = sf.steady_tokens_per_s;
      row.preemptions = sf.preemptions;
      return sf.aggregate_tokens_per_s;
    });
    f.streams.push_back(row);
  }
  RunUnderLoad(loop, model.config().max_position, s, w, f);
}

// TTFT while others decode. The offered load is a share of the capacity
// that the rates measured just before imply for the arrivals' mix.
void RunUnderLoad(engine::StepLoop& loop, int64_t context, const BenchSettings& s, Workload& w,
                  ModelFigures& f) {
  const double prefill_rate = f.prefill.empty() ? -1 : f.prefill.front().first.value;
  const double decode_rate = f.streams.empty() ? -1 : f.streams.back().aggregate.value;
  if (w.arrivals.empty() || prefill_rate <= 0 || decode_rate <= 0) {
    f.ttft_p50.error = f.ttft_p99.error = "needs the prefill and stream figures";
    return;
  }
  double prompt_tokens = 0, output_tokens = 0;
  for (const Arrival& a : w.arrivals) {
    prompt_tokens += static_cast<double>(a.prompt.size());
    output_tokens += a.max_tokens;
  }
  const double n = static_cast<double>(w.arrivals.size());
  f.arrival_rate =
      s.utilisation / (prompt_tokens / n / prefill_rate + output_tokens / n / decode_rate);
  ScheduleArrivals(&w.arrivals, f.arrival_rate, s.seed);
  const int background_tokens =
      static_cast<int>(std::min<int64_t>(2048, context - s.stream_prompt - 1));
  f.ttft_p50 = Measure([&]() -> Result<double> {
    HAI_ASSIGN_OR_RETURN(f.ttft, MeasureTtftUnderLoad(loop, w.background, background_tokens,
                                                      w.arrivals, s.phase_timeout_s));
    return f.ttft.p50_s;
  });
  f.ttft_p99 = f.ttft_p50;
  if (f.ttft_p50.value >= 0) f.ttft_p99.value = f.ttft.p99_s;
}

// The reference's phases: the same prompts, one sequence at a time.
void RunEager(EagerDecoder& eager, const BenchSettings& s, const Workload& w, ModelFigures& f,
              const std::vector<int32_t>& engine_greedy) {
  (void)eager.Prefill(w.decode);  // warm-up
  for (size_t i = 0; i < w.prefill.size(); ++i) {
    f.prefill[i].second = Measure([&]() -> Result<double> {
      double best = 0;
      for (const auto& prompt : w.prefill[i]) {
        const double start = NowSeconds();
        HAI_RETURN_IF_ERROR(eager.Prefill(prompt).status());
        best = std::max(best, static_cast<double>(prompt.size()) / (NowSeconds() - start));
      }
      return best;
    });
  }
  std::vector<int32_t> greedy;
  f.eager_decode = Measure([&]() -> Result<double> {
    double best = 0;
    for (int r = 0; r < s.rounds; ++r) {
      HAI_ASSIGN_OR_RETURN(std::vector<float> logits, eager.Prefill(w.decode));
      std::vector<int32_t> out = {ArgMax(logits)};
      const double start = NowSeconds();
      while (static_cast<int>(out.size()) < s.decode_tokens &&
             NowSeconds() - start < s.phase_timeout_s) {
        HAI_ASSIGN_OR_RETURN(logits, eager.Decode(out.back()));
        out.push_back(ArgMax(logits));
      }
      if (out.size() < 2) return Status::Internal("eager decode: no time for a second token");
      best = std::max(best, static_cast<double>(out.size() - 1) / (NowSeconds() - start));
      if (greedy.empty()) greedy = std::move(out);
    }
    return best;
  });
  f.greedy_total = static_cast<int>(std::min(greedy.size(), engine_greedy.size()));
  while (f.greedy_agree < f.greedy_total && greedy[static_cast<size_t>(f.greedy_agree)] ==
                                                engine_greedy[static_cast<size_t>(f.greedy_agree)])
    ++f.greedy_agree;
}

// The reference runs on a thread of its own, as the engine's model runs on
// the step loop's. Not for tidiness: with this libtorch (OpenMP, and
// OpenBLAS built on OpenMP) small products on the process's initial thread
// were measured up to 25x slower than on any other thread (spinning pool
// threads competing for the cores), which would flatter the engine.
Status OnOwnThread(const std::function<Status()>& fn) {
  Status status;
  std::thread worker([&] { status = fn(); });
  worker.join();
  return status;
}

}  // namespace

double CurrentRssMib() { return StatusMib("VmRSS"); }
double PeakRssMib() { return StatusMib("VmHWM"); }

Result<ModelFigures> BenchModel(const std::string& dir, const BenchSettings& s) {
  HAI_ASSIGN_OR_RETURN(std::unique_ptr<checkpoint::Checkpoint> ckpt,
                       checkpoint::OpenCheckpoint(dir));
  ModelFigures f;
  f.config = ckpt->config;
  f.parameters = ckpt->config.ParameterCount();
  HAI_RETURN_IF_ERROR(CheckModel(s, f.config));
  Workload w = MakeWorkload(s, std::min(ckpt->tokenizer->vocab_size(), f.config.vocab_size));
  f.prefill.resize(s.prefill_lengths.size());

  std::vector<float> engine_logits;
  std::vector<int32_t> engine_greedy;
  {
    transformer::ModelOptions options;
    options.dtype = s.dtype;
    options.threads = s.threads;
    ResetPeakRss();
    HAI_ASSIGN_OR_RETURN(std::unique_ptr<DecoderModel> model,
                         DecoderModel::Load(ckpt->config, ckpt->tensors, options));
    f.engine_weights_mib = static_cast<double>(model->WeightBytes()) / (1 << 20);
    f.engine_load_peak_mib = PeakRssMib();
    f.engine_load_rss_mib = CurrentRssMib();
    HAI_ASSIGN_OR_RETURN(engine_logits, EngineLogits(*model, w.decode));
    RunEngine(*ckpt, *model, s, w, f, &engine_greedy);
  }
  malloc_trim(0);  // give the engine's memory back before the reference's phases

  HAI_RETURN_IF_ERROR(OnOwnThread([&]() -> Status {
    ResetPeakRss();
    HAI_ASSIGN_OR_RETURN(std::unique_ptr<EagerDecoder> eager,
                         EagerDecoder::Load(*ckpt, s.dtype, s.threads));
    f.eager_weights_mib = static_cast<double>(eager->WeightBytes()) / (1 << 20);
    f.eager_load_peak_mib = PeakRssMib();
    f.eager_load_rss_mib = CurrentRssMib();
    HAI_ASSIGN_OR_RETURN(std::vector<float> eager_logits, eager->Prefill(w.decode));
    if (eager_logits.size() == engine_logits.size()) {
      f.max_logit_diff = 0;
      for (size_t i = 0; i < eager_logits.size(); ++i)
        f.max_logit_diff =
            std::max<double>(f.max_logit_diff, std::fabs(eager_logits[i] - engine_logits[i]));
    }
    RunEager(*eager, s, w, f, engine_greedy);
    return Status::Ok();
  }));
  return f;
}

}  // namespace hai::bench
