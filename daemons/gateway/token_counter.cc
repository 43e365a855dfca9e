#include "daemons/gateway/token_counter.h"

#include <chrono>

#include "lib/log/log.h"

namespace hai::gateway {

using namespace std::chrono_literals;

TokenCounter::TokenCounter(http::HttpUrl scheduler, std::string cluster_token, const Clock* clock,
                           TokenCounterOptions options)
    : scheduler_(std::move(scheduler)),
      token_(std::move(cluster_token)),
      clock_(clock),
      options_(options),
      client_(scheduler_.host, scheduler_.port, options.timeout_ms) {
  client_.SetConnectTimeout(2000);
}

TokenCounter::~TokenCounter() { Stop(); }

void TokenCounter::Start() {
  thread_ = std::thread([this] { Run(); });
}

void TokenCounter::Stop() {
  if (!thread_.joinable()) return;
  std::unique_lock lock(mu_);
  stopping_ = true;
  cv_.notify_all();
  // A fetch may be starting as the flag is set: cut until the thread is out.
  http::CancelUntil(client_, lock, cv_, [this] { return finished_; });
  lock.unlock();
  thread_.join();
}

std::shared_ptr<const ModelTokenizer> TokenCounter::Find(int64_t model_id,
                                                         const std::string& digest) {
  if (model_id <= 0) return nullptr;
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it == entries_.end() || it->second.digest != digest) {
    Ask(model_id, digest);
    return nullptr;
  }
  Entry& e = it->second;
  e.used = ++tick_;
  if (e.state == State::kFailed && clock_->NowMs() - e.failed_at_ms >= options_.retry_after_ms)
    Ask(model_id, digest);
  return e.state == State::kLoaded ? e.tokenizer : nullptr;
}

TokenCounter::State TokenCounter::StateOf(int64_t model_id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  return it == entries_.end() ? State::kUnknown : it->second.state;
}

void TokenCounter::Ask(int64_t model_id, const std::string& digest) {
  if (!entries_.count(model_id) && entries_.size() >= options_.max_models) EvictOne();
  Entry& e = entries_[model_id];
  e = Entry{digest, State::kLoading, nullptr, 0, ++tick_};
  queue_.push_back({model_id, digest});
  cv_.notify_all();
}

void TokenCounter::EvictOne() {
  // Loads in flight stay: their result has a place to go.
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.state == State::kLoading) continue;
    if (oldest == entries_.end() || it->second.used < oldest->second.used) oldest = it;
  }
  if (oldest != entries_.end()) entries_.erase(oldest);
}

void TokenCounter::Run() {
  for (;;) {
    Load next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      next = std::move(queue_.front());
      queue_.pop_front();
      // Asked again since (another digest): only the latest load counts.
      auto it = entries_.find(next.model_id);
      if (it == entries_.end() || it->second.digest != next.digest ||
          it->second.state != State::kLoading)
        continue;
    }
    Result<std::unique_ptr<ModelTokenizer>> loaded = Fetch(next.model_id);
    std::lock_guard lock(mu_);
    if (stopping_) break;
    auto it = entries_.find(next.model_id);
    if (it == entries_.end() || it->second.digest != next.digest) continue;
    Entry& e = it->second;
    if (loaded.ok()) {
      e.state = State::kLoaded;
      e.tokenizer = std::shared_ptr<const ModelTokenizer>(std::move(*loaded));
      log::Info("tokenizer loaded; calls without usage are counted with it",
                {{"model", static_cast<long long>(next.model_id)}});
    } else {
      e.state = State::kFailed;
      e.failed_at_ms = clock_->NowMs();
      log::Warn("cannot load the model's tokenizer; calls without usage are estimated",
                {{"model", static_cast<long long>(next.model_id)},
                 {"retry_after_ms", static_cast<long long>(options_.retry_after_ms)},
                 {"error", loaded.status().message()}});
    }
  }
  std::lock_guard lock(mu_);
  finished_ = true;
  cv_.notify_all();
}

Result<std::unique_ptr<ModelTokenizer>> TokenCounter::Fetch(int64_t model_id) {
  HAI_ASSIGN_OR_RETURN(std::string tokenizer_json, File(model_id, "tokenizer.json", false));
  HAI_ASSIGN_OR_RETURN(std::string config_json, File(model_id, "tokenizer_config.json", true));
  return ModelTokenizer::Load(tokenizer_json, config_json, "model " + std::to_string(model_id));
}

Result<std::string> TokenCounter::File(int64_t model_id, const std::string& path, bool optional) {
  const std::string where = "model " + std::to_string(model_id) + "'s " + path;
  auto r = client_.Send("GET", "/internal/v1/models/" + std::to_string(model_id) + "/files/" + path,
                        "", {{"Authorization", "Bearer " + token_}});
  if (!r.ok()) return Status::Unavailable(where + ": " + r.status().message());
  if (r->status == 404 && optional) return std::string();
  if (r->status == 404) return Status::NotFound(where + ": the scheduler has no such file");
  if (r->status != 200)
    return Status::Unavailable(where + ": the scheduler answered " + std::to_string(r->status) +
                               ": " + r->body.substr(0, 200));
  return std::move(r->body);
}

}  // namespace hai::gateway
