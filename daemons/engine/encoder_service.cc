#include "daemons/engine/encoder_service.h"

#include <algorithm>
#include <chrono>
#include <numeric>

namespace hai::engine {

// One request's inputs, waiting for the worker. Exactly one of `inputs`
// (embeddings) or `pairs` (scores) is used.
struct EncoderService::Job {
  bool score = false;
  std::vector<std::vector<int32_t>> inputs;
  std::vector<transformer::EncoderModel::Pair> pairs;
  std::promise<Result<std::vector<std::vector<float>>>> vectors;
  std::promise<Result<std::vector<float>>> scores;

  size_t size() const { return score ? pairs.size() : inputs.size(); }
  void Fail(const Status& status) {
    if (score)
      scores.set_value(status);
    else
      vectors.set_value(status);
  }
};

Result<std::unique_ptr<EncoderService>> EncoderService::Create(const checkpoint::Checkpoint* ckpt,
                                                               transformer::EncoderModel* model,
                                                               transformer::Pooling pooling,
                                                               metrics::Registry* registry,
                                                               const std::string& served_name) {
  auto cls = ckpt->tokenizer->TokenId("[CLS]");
  auto sep = ckpt->tokenizer->TokenId("[SEP]");
  if (!cls || !sep)
    return Status::InvalidArgument(ckpt->dir +
                                   "/tokenizer.json: an encoder needs the [CLS] and [SEP] tokens");
  std::unique_ptr<EncoderService> service(new EncoderService(ckpt, model, pooling, *cls, *sep));
  service->DeclareMetrics(registry, served_name);
  EncoderService* self = service.get();
  service->worker_ = std::thread([self] { self->Run(); });
  return service;
}

EncoderService::EncoderService(const checkpoint::Checkpoint* ckpt, transformer::EncoderModel* model,
                               transformer::Pooling pooling, int32_t cls, int32_t sep)
    : ckpt_(ckpt), model_(model), pooling_(pooling), cls_(cls), sep_(sep) {}

EncoderService::~EncoderService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void EncoderService::DeclareMetrics(metrics::Registry* registry, const std::string& served_name) {
  labels_ = {{"model_name", served_name}};
  // vLLM's names where vLLM has one, so one metrics reader serves every engine.
  running_ = registry->Gauge("vllm:num_requests_running", "Requests in the encoder's pass now.");
  waiting_ = registry->Gauge("vllm:num_requests_waiting", "Requests queued for the encoder.");
  prompt_tokens_ = registry->Counter("vllm:prompt_tokens_total", "Input tokens encoded.");
  pass_seconds_ = registry->Histogram("hai_engine_encoder_pass_seconds",
                                      "Time of one encoder pass (up to 32 inputs).",
                                      metrics::Registry::LatencyBuckets());
  merged_ = registry->Histogram("hai_engine_encoder_merged_requests",
                                "Requests served by one round of encoder passes.",
                                {1, 2, 4, 8, 16, 32, 64});
  running_->Set(labels_, 0);
  waiting_->Set(labels_, 0);
  prompt_tokens_->Add(labels_, 0);
}

std::vector<int32_t> EncoderService::EmbeddingTokens(const std::string& text) const {
  std::vector<int32_t> ids = ckpt_->tokenizer->Encode(text, /*special=*/false);
  ids.insert(ids.begin(), cls_);
  ids.push_back(sep_);
  return ids;
}

transformer::EncoderModel::Pair EncoderService::RerankPair(const std::string& query,
                                                           const std::string& document) const {
  transformer::EncoderModel::Pair pair;
  pair.tokens = EmbeddingTokens(query);
  pair.token_types.assign(pair.tokens.size(), 0);
  std::vector<int32_t> doc = ckpt_->tokenizer->Encode(document, /*special=*/false);
  doc.push_back(sep_);
  pair.tokens.insert(pair.tokens.end(), doc.begin(), doc.end());
  pair.token_types.insert(pair.token_types.end(), doc.size(), 1);
  return pair;
}

int EncoderService::max_tokens() const { return ckpt_->config.max_position; }
int EncoderService::vocab() const {
  return std::min(ckpt_->config.vocab_size, ckpt_->tokenizer->vocab_size());
}
bool EncoderService::cross_encoder() const { return ckpt_->config.is_cross_encoder(); }

void EncoderService::Enqueue(std::shared_ptr<Job> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      job->Fail(Status::Unavailable("the encoder is stopping"));
      return;
    }
    queue_.push_back(std::move(job));
    waiting_->Set(labels_, static_cast<double>(queue_.size()));
  }
  cv_.notify_one();
}

Result<std::vector<std::vector<float>>> EncoderService::Embed(
    std::vector<std::vector<int32_t>> inputs) {
  auto job = std::make_shared<Job>();
  job->inputs = std::move(inputs);
  auto done = job->vectors.get_future();
  Enqueue(std::move(job));
  return done.get();
}

Result<std::vector<float>> EncoderService::Score(
    std::vector<transformer::EncoderModel::Pair> pairs) {
  auto job = std::make_shared<Job>();
  job->score = true;
  job->pairs = std::move(pairs);
  auto done = job->scores.get_future();
  Enqueue(std::move(job));
  return done.get();
}

void EncoderService::Run() {
  for (;;) {
    std::vector<std::shared_ptr<Job>> jobs;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        for (auto& job : queue_) job->Fail(Status::Unavailable("the encoder is stopping"));
        queue_.clear();
        return;
      }
      // Every queued request of the first one's kind, up to the input cap.
      const bool score = queue_.front()->score;
      size_t inputs = 0;
      for (auto it = queue_.begin(); it != queue_.end();) {
        if ((*it)->score != score || (!jobs.empty() && inputs + (*it)->size() > kMaxMergedInputs)) {
          ++it;
          continue;
        }
        inputs += (*it)->size();
        jobs.push_back(std::move(*it));
        it = queue_.erase(it);
      }
      waiting_->Set(labels_, static_cast<double>(queue_.size()));
    }
    running_->Set(labels_, static_cast<double>(jobs.size()));
    merged_->Observe(labels_, static_cast<double>(jobs.size()));
    RunMerged(jobs);
    running_->Set(labels_, 0);
  }
}

namespace {

using Slot = EncoderService::Slot;

// (job, item) positions of every input, shortest first so each pass pads little.
template <typename LengthFn>
std::vector<Slot> SlotsByLength(size_t jobs, const std::vector<size_t>& sizes, LengthFn length) {
  std::vector<Slot> slots;
  for (size_t j = 0; j < jobs; ++j)
    for (size_t i = 0; i < sizes[j]; ++i) slots.push_back({j, i, length(j, i)});
  std::stable_sort(slots.begin(), slots.end(),
                   [](const Slot& a, const Slot& b) { return a.length < b.length; });
  return slots;
}

}  // namespace

namespace {

// libtorch reports some failures as exceptions; they become a Status here,
// at the edge, so one bad pass fails its requests and not the process.
template <typename Fn>
Status Guarded(Fn&& pass) {
  try {
    return pass();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("encoder pass failed: ") + e.what());
  }
}

}  // namespace

Status EncoderService::EmbedPass(const std::vector<std::shared_ptr<Job>>& jobs,
                                 const std::vector<Slot>& slots, size_t start, size_t end,
                                 std::vector<std::vector<std::vector<float>>>* vectors) {
  return Guarded([&]() -> Status {
    std::vector<std::vector<int32_t>> batch;
    for (size_t k = start; k < end; ++k) batch.push_back(jobs[slots[k].job]->inputs[slots[k].item]);
    HAI_ASSIGN_OR_RETURN(auto out, model_->Embed(batch, pooling_));
    if (out.size() != batch.size())
      return Status::Internal("the encoder returned " + std::to_string(out.size()) +
                              " vectors for " + std::to_string(batch.size()) + " inputs");
    for (size_t k = start; k < end; ++k)
      (*vectors)[slots[k].job][slots[k].item] = std::move(out[k - start]);
    return Status::Ok();
  });
}

Status EncoderService::ScorePass(const std::vector<std::shared_ptr<Job>>& jobs,
                                 const std::vector<Slot>& slots, size_t start, size_t end,
                                 std::vector<std::vector<float>>* scores) {
  return Guarded([&]() -> Status {
    std::vector<transformer::EncoderModel::Pair> batch;
    for (size_t k = start; k < end; ++k) batch.push_back(jobs[slots[k].job]->pairs[slots[k].item]);
    HAI_ASSIGN_OR_RETURN(auto out, model_->Score(batch));
    if (out.size() != batch.size())
      return Status::Internal("the encoder returned " + std::to_string(out.size()) +
                              " scores for " + std::to_string(batch.size()) + " pairs");
    for (size_t k = start; k < end; ++k) (*scores)[slots[k].job][slots[k].item] = out[k - start];
    return Status::Ok();
  });
}

void EncoderService::RunMerged(std::vector<std::shared_ptr<Job>>& jobs) {
  const bool score = jobs.front()->score;
  std::vector<size_t> sizes;
  for (const auto& job : jobs) sizes.push_back(job->size());
  std::vector<Slot> slots = SlotsByLength(jobs.size(), sizes, [&](size_t j, size_t i) {
    return score ? jobs[j]->pairs[i].tokens.size() : jobs[j]->inputs[i].size();
  });
  std::vector<std::vector<std::vector<float>>> vectors(jobs.size());
  std::vector<std::vector<float>> scores(jobs.size());
  for (size_t j = 0; j < jobs.size(); ++j) {
    if (score)
      scores[j].resize(sizes[j]);
    else
      vectors[j].resize(sizes[j]);
  }
  Status failed;
  int64_t tokens = 0;
  for (size_t start = 0; start < slots.size() && failed.ok(); start += kPassInputs) {
    const size_t end = std::min(slots.size(), start + kPassInputs);
    auto begin_time = std::chrono::steady_clock::now();
    failed = score ? ScorePass(jobs, slots, start, end, &scores)
                   : EmbedPass(jobs, slots, start, end, &vectors);
    for (size_t k = start; k < end; ++k) tokens += static_cast<int64_t>(slots[k].length);
    pass_seconds_->Observe(
        labels_,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_time).count());
  }
  if (failed.ok()) prompt_tokens_->Add(labels_, static_cast<double>(tokens));
  for (size_t j = 0; j < jobs.size(); ++j) {
    if (!failed.ok())
      jobs[j]->Fail(failed);
    else if (score)
      jobs[j]->scores.set_value(std::move(scores[j]));
    else
      jobs[j]->vectors.set_value(std::move(vectors[j]));
  }
}

}  // namespace hai::engine
