#pragma once

// Test-only: the step-loop tests' fixture. A real tiny checkpoint per test,
// sinks that collect events, and helpers to run requests alone or together.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/engine/step_loop.h"
#include "daemons/engine/tiny_checkpoint.h"
#include "lib/metrics/registry.h"

namespace hai::engine::test_support {

inline constexpr auto kWait = std::chrono::seconds(120);  // a bound, never a pace

// "r3" and the like (built in two steps: GCC 12 misreads `"r" + to_string`
// at -O3 as an overlapping copy).
inline std::string Name(const char* prefix, size_t i) {
  std::string name = prefix;
  name += std::to_string(i);
  return name;
}

// What one request received, event by event.
struct Received {
  std::vector<int32_t> tokens;
  std::string text;
  std::vector<GenerationEvent> events;
  FinishReason finish = FinishReason::kNone;
  std::string stop_reason;
  Status error;
  bool done = false;
};

// Sinks for many requests; tests wait on it with a bounded wait.
class Collector {
 public:
  EventSink SinkFor(const std::string& id) {
    return [this, id](GenerationEvent&& event) {
      std::lock_guard lock(mu_);
      Received& r = received_[id];
      r.tokens.insert(r.tokens.end(), event.tokens.begin(), event.tokens.end());
      r.text += event.text;
      if (!event.error.ok()) r.error = event.error;
      if (event.finish != FinishReason::kNone) r.stop_reason = event.stop_reason;
      r.finish = event.finish;
      r.done = !event.error.ok() || event.finish != FinishReason::kNone;
      r.events.push_back(std::move(event));
      changed_.notify_all();
    };
  }
  // True when `n` requests are done within the bound.
  bool WaitDone(size_t n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, kWait, [&] {
      size_t done = 0;
      for (const auto& [id, r] : received_) done += r.done ? 1 : 0;
      return done >= n;
    });
  }
  Received Get(const std::string& id) {
    std::lock_guard lock(mu_);
    return received_[id];
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Received> received_;
};

class StepLoopTest : public ::testing::Test {
 protected:
  void SetUp() override { LoadModel(TinyModelSpec{}); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void LoadModel(const TinyModelSpec& spec) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("hai-engine-core-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Status written = WriteTinyCheckpoint(dir_.string(), spec);
    ASSERT_TRUE(written.ok()) << written.ToString();
    Result<TinyModel> loaded = LoadTinyModel(dir_.string());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    tiny_ = std::move(loaded).value();
  }

  std::unique_ptr<StepLoop> NewLoop(StepLoopOptions options, metrics::Registry* registry) {
    return std::make_unique<StepLoop>(tiny_.ckpt.get(), tiny_.model.get(), options, registry,
                                      "tiny");
  }

  std::vector<int32_t> Encode(const std::string& text) {
    return tiny_.ckpt->tokenizer->Encode(text, false);
  }

  // Eight prompts of different lengths.
  std::vector<std::vector<int32_t>> Prompts() {
    const char* texts[] = {"The quick brown fox",
                           "A hospital",
                           "runs its own models on its own machines; the engine batches",
                           "x",
                           "Ünïcödé text, emoji 🙂 and 中文",
                           "the right strings. The quick brown fox jumps over the lazy dog.",
                           "samples tokens",
                           "lazy dog lazy dog lazy dog"};
    std::vector<std::vector<int32_t>> prompts;
    for (const char* t : texts) prompts.push_back(Encode(t));
    return prompts;
  }

  static GenerationRequest Request(const std::string& id, std::vector<int32_t> prompt,
                                   int max_tokens) {
    GenerationRequest r;
    r.request_id = id;
    r.prompt = std::move(prompt);
    r.sampling.temperature = 0;
    r.sampling.ignore_eos = true;
    r.sampling.max_tokens = max_tokens;
    return r;
  }

  // Runs each request alone (one at a time) and returns the tokens.
  std::vector<std::vector<int32_t>> RunAlone(const std::vector<GenerationRequest>& requests) {
    metrics::Registry registry;
    Collector collector;
    auto loop = NewLoop(StepLoopOptions{}, &registry);
    loop->Start();
    std::vector<std::vector<int32_t>> out;
    for (size_t i = 0; i < requests.size(); ++i) {
      EXPECT_TRUE(loop->Submit(requests[i], collector.SinkFor(requests[i].request_id)).ok());
      EXPECT_TRUE(collector.WaitDone(i + 1));
      out.push_back(collector.Get(requests[i].request_id).tokens);
    }
    return out;
  }

  // Submits everything before Start(), so the first step sees them all.
  std::vector<Received> RunTogether(const std::vector<GenerationRequest>& requests,
                                    StepLoopOptions options, StepLoop** loop_out = nullptr,
                                    metrics::Registry* registry = nullptr) {
    metrics::Registry own_registry;
    Collector collector;
    auto loop = NewLoop(options, registry ? registry : &own_registry);
    for (const auto& r : requests) {
      Status s = loop->Submit(r, collector.SinkFor(r.request_id));
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    if (loop_out) *loop_out = loop.get();
    loop->Start();
    EXPECT_TRUE(collector.WaitDone(requests.size()));
    std::vector<Received> out;
    for (const auto& r : requests) out.push_back(collector.Get(r.request_id));
    last_load_ = loop->Load();
    return out;
  }

  std::filesystem::path dir_;
  TinyModel tiny_;
  LoadSnapshot last_load_;
};

}  // namespace hai::engine::test_support
