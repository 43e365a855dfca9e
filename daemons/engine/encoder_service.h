#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/metrics/registry.h"
#include "lib/transformer/encoder_model.h"

namespace hai::engine {

// Embeddings and rerank scores from a BERT-style encoder, on a worker thread
// of its own that owns the model. Requests queue their inputs; the worker
// takes every queued request of the same kind (up to kMaxMergedInputs
// inputs), sorts the inputs by length and runs them in passes of up to
// kPassInputs, so concurrent small requests share passes. Measured on the
// build machine (docs/engine.md): 8 inputs in one pass cost half as much
// each as 8 single passes, and merging lifts 8 concurrent single-input
// clients by about as much; a single client pays one queue hop.
// Thread-safe; the destructor stops the worker and fails what is queued.
class EncoderService {
 public:
  static constexpr size_t kPassInputs = 32;
  static constexpr size_t kMaxMergedInputs = 256;

  // Fails when the tokenizer has no [CLS] or [SEP] token.
  static Result<std::unique_ptr<EncoderService>> Create(const checkpoint::Checkpoint* ckpt,
                                                        transformer::EncoderModel* model,
                                                        transformer::Pooling pooling,
                                                        metrics::Registry* registry,
                                                        const std::string& served_name);
  ~EncoderService();
  EncoderService(const EncoderService&) = delete;
  EncoderService& operator=(const EncoderService&) = delete;

  // [CLS] text [SEP]; the text's own special-token spellings stay plain text.
  std::vector<int32_t> EmbeddingTokens(const std::string& text) const;
  // [CLS] query [SEP] document [SEP], token type 1 from the document on.
  transformer::EncoderModel::Pair RerankPair(const std::string& query,
                                             const std::string& document) const;
  int max_tokens() const;  // the model's position limit
  int vocab() const;
  bool cross_encoder() const;

  // One L2-normalised vector per input, in order. Blocks until done.
  Result<std::vector<std::vector<float>>> Embed(std::vector<std::vector<int32_t>> inputs);
  // One relevance logit per pair, in order. Blocks until done.
  Result<std::vector<float>> Score(std::vector<transformer::EncoderModel::Pair> pairs);

  // Where one input of a merged round came from (public for the .cc's helpers).
  struct Slot {
    size_t job;
    size_t item;
    size_t length;
  };

 private:
  struct Job;
  EncoderService(const checkpoint::Checkpoint* ckpt, transformer::EncoderModel* model,
                 transformer::Pooling pooling, int32_t cls, int32_t sep);
  void DeclareMetrics(metrics::Registry* registry, const std::string& served_name);
  void Enqueue(std::shared_ptr<Job> job);
  void Run();  // the worker
  void RunMerged(std::vector<std::shared_ptr<Job>>& jobs);
  Status EmbedPass(const std::vector<std::shared_ptr<Job>>& jobs, const std::vector<Slot>& slots,
                   size_t start, size_t end, std::vector<std::vector<std::vector<float>>>* vectors);
  Status ScorePass(const std::vector<std::shared_ptr<Job>>& jobs, const std::vector<Slot>& slots,
                   size_t start, size_t end, std::vector<std::vector<float>>* scores);

  const checkpoint::Checkpoint* ckpt_;
  transformer::EncoderModel* model_;  // used by the worker only
  transformer::Pooling pooling_;
  int32_t cls_;
  int32_t sep_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;  // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::thread worker_;

  metrics::Labels labels_;
  metrics::Family* running_ = nullptr;
  metrics::Family* waiting_ = nullptr;
  metrics::Family* prompt_tokens_ = nullptr;
  metrics::Family* pass_seconds_ = nullptr;
  metrics::Family* merged_ = nullptr;
};

}  // namespace hai::engine
