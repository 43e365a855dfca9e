#include "daemons/gateway/call_log_sink.h"

#include <nlohmann/json.hpp>

#include "lib/log/log.h"

namespace hai::gateway {
namespace {

using Clock = std::chrono::steady_clock;

// lib/http's servers close a connection quiet for 5 s; well inside that.
constexpr auto kMaxIdleConnection = std::chrono::seconds(2);

}  // namespace

CallLogSink::CallLogSink(http::HttpUrl portal, std::string cluster_token, CallLogOptions options,
                         GatewayMetrics* metrics)
    : portal_(std::move(portal)),
      token_(std::move(cluster_token)),
      options_(options),
      metrics_(metrics) {}

CallLogSink::~CallLogSink() { Stop(std::chrono::milliseconds(0)); }

void CallLogSink::Add(CallRecord record) {
  size_t queued = 0;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.queue) {
      queued = 0;
    } else {
      queue_.push_back(std::move(record));
      queued = queue_.size();
    }
  }
  if (queued == 0) {
    Dropped("queue_full", 1);
    return;
  }
  metrics_->call_log_queue->Set({}, static_cast<double>(queued));
  if (queued >= options_.batch) cv_.notify_all();
}

void CallLogSink::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void CallLogSink::Stop(std::chrono::milliseconds flush_within) {
  if (!thread_.joinable()) return;
  std::unique_lock lock(mu_);
  if (!stopping_) {
    stopping_ = true;
    deadline_ = Clock::now() + flush_within;
  }
  cv_.notify_all();
  // A send still under way at the deadline is cut short (again until the
  // thread notices: a send may start just after a cancel).
  while (!cv_.wait_until(lock, std::max(deadline_, Clock::now() + std::chrono::milliseconds(50)),
                         [this] { return finished_; })) {
    lock.unlock();
    {
      std::lock_guard client_lock(client_mu_);
      if (client_) client_->Cancel();
    }
    lock.lock();
  }
  lock.unlock();
  thread_.join();
}

void CallLogSink::Run() {
  std::unique_lock lock(mu_);
  auto next_flush = Clock::now() + std::chrono::milliseconds(options_.flush_ms);
  for (;;) {
    cv_.wait_until(lock, next_flush,
                   [this] { return stopping_ || queue_.size() >= options_.batch; });
    if (queue_.empty()) {
      if (stopping_) break;
      next_flush = Clock::now() + std::chrono::milliseconds(options_.flush_ms);
      continue;
    }
    if (!stopping_ && queue_.size() < options_.batch && Clock::now() < next_flush) continue;
    const size_t n = std::min(queue_.size(), options_.batch);
    std::vector<CallRecord> batch(std::make_move_iterator(queue_.begin()),
                                  std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    metrics_->call_log_queue->Set({}, static_cast<double>(queue_.size()));
    lock.unlock();
    Deliver(std::move(batch));
    lock.lock();
    next_flush = Clock::now() + std::chrono::milliseconds(options_.flush_ms);
  }
  finished_ = true;
  cv_.notify_all();
}

std::vector<CallLogSink::Body> CallLogSink::Bodies(const std::vector<CallRecord>& batch) {
  std::vector<Body> bodies;
  Body body;
  auto close = [&] {
    if (body.records == 0) return;
    body.text += "]}";
    bodies.push_back(std::move(body));
    body = Body{};
  };
  for (const CallRecord& r : batch) {
    // Bytes that are not UTF-8 (a user agent may hold any) are replaced.
    const std::string one =
        CallRecordJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (body.records >= kMaxBatchRecords || body.text.size() + one.size() + 3 > kMaxBatchBytes)
      close();
    body.text += body.records == 0 ? "{\"records\":[" : ",";
    body.text += one;
    ++body.records;
  }
  close();
  return bodies;
}

void CallLogSink::Deliver(std::vector<CallRecord> batch) {
  for (const Body& body : Bodies(batch)) {
    for (int attempt = 1;; ++attempt) {
      if (PastDeadline()) {
        Dropped("shutdown", body.records);
        break;
      }
      const Sent sent = SendOnce(body);
      if (sent == Sent::kOk) break;
      if (sent == Sent::kRefused) {
        Dropped("refused", body.records);
        break;
      }
      if (attempt >= options_.attempts) {
        Dropped("send_failed", body.records);
        log::Warn("call records dropped: the portal did not take them",
                  {{"records", static_cast<int64_t>(body.records)}, {"attempts", attempt}});
        break;
      }
      if (!Backoff(options_.retry_ms << (attempt - 1))) {
        Dropped("shutdown", body.records);
        break;
      }
    }
  }
}

http::Client* CallLogSink::Client() {
  std::lock_guard lock(client_mu_);
  const auto now = Clock::now();
  if (!client_ || now - client_used_ > kMaxIdleConnection)
    client_ = std::make_unique<http::Client>(portal_, options_.ca_file, options_.timeout_ms);
  client_used_ = now;
  return client_.get();
}

CallLogSink::Sent CallLogSink::SendOnce(const Body& body) {
  auto r = Client()->Send("POST", kPath, body.text, {{"Authorization", "Bearer " + token_}});
  client_used_ = Clock::now();
  if (!r.ok()) {
    log::Warn("cannot send call records to the portal", {{"error", r.status().message()}});
    std::lock_guard lock(client_mu_);
    client_.reset();  // its connection's state is unknown
    return Sent::kRetry;
  }
  if (r->status >= 500 || r->status == 429) {
    log::Warn("the portal did not take call records",
              {{"status", r->status}, {"answer", r->body.substr(0, 200)}});
    return Sent::kRetry;
  }
  if (r->status != 200) {
    log::Warn("the portal refused call records",
              {{"status", r->status}, {"answer", r->body.substr(0, 200)}});
    return Sent::kRefused;
  }
  auto answer = nlohmann::json::parse(r->body, nullptr, false);
  const int64_t accepted = answer.is_object() ? answer.value("accepted", int64_t{0}) : 0;
  const int64_t rejected = answer.is_object() ? answer.value("rejected", int64_t{0}) : 0;
  metrics_->call_log_sent->Add({}, static_cast<double>(accepted));
  if (rejected > 0) {
    Dropped("rejected", static_cast<size_t>(rejected));
    log::Warn("the portal rejected call records", {{"rejected", rejected}});
  }
  return Sent::kOk;
}

bool CallLogSink::Backoff(int64_t ms) {
  std::unique_lock lock(mu_);
  auto until = Clock::now() + std::chrono::milliseconds(ms);
  // While stopping, a retry is only worth its wait inside the deadline.
  cv_.wait_until(lock, until, [&] { return stopping_ && deadline_ < until; });
  return !(stopping_ && Clock::now() >= deadline_);
}

bool CallLogSink::PastDeadline() {
  std::lock_guard lock(mu_);
  return stopping_ && Clock::now() >= deadline_;
}

void CallLogSink::Dropped(const std::string& reason, size_t n) {
  metrics_->call_log_dropped->Add({{"reason", reason}}, static_cast<double>(n));
}

}  // namespace hai::gateway
