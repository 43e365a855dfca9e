#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemons/gateway/call_record.h"
#include "daemons/gateway/gateway_metrics.h"
#include "lib/http/client.h"
#include "lib/http/url.h"

namespace hai::gateway {

struct CallLogOptions {
  size_t queue = 100000;    // records waiting at most; more are dropped
  size_t batch = 1000;      // records per POST at most
  int64_t flush_ms = 1000;  // a partial batch waits at most this long
  int attempts = 3;         // sends of one batch before it is dropped
  int64_t retry_ms = 500;   // wait before the 2nd attempt, doubled after
  int timeout_ms = 10000;   // one POST
  std::string ca_file;      // an https:// portal's CA ("" = the system's store)
};

// Sends call records to the portal's call log (POST /internal/v1/call-logs,
// cluster token) from a background thread, in batches: a full batch goes at
// once, a partial one after flush_ms. A request only appends to a bounded
// queue and never waits for the portal: when the queue is full the record
// is dropped and counted; a batch the portal cannot take is tried again a
// few times, then dropped and counted. Stop sends what is queued, within a
// bound. Thread-safe (Start/Stop from one thread).
class CallLogSink final : public CallRecordSink {
 public:
  CallLogSink(http::HttpUrl portal, std::string cluster_token, CallLogOptions options,
              GatewayMetrics* metrics);
  ~CallLogSink() override;

  void Add(CallRecord record) override;
  void Start();
  // Sends what is queued for at most `flush_within`, then drops the rest
  // (counted as "shutdown").
  void Stop(std::chrono::milliseconds flush_within = std::chrono::seconds(5));

  // The largest body sent, and the most records in one (the portal's limits).
  static constexpr size_t kMaxBatchBytes = 8 << 20;
  static constexpr size_t kMaxBatchRecords = 2000;
  static constexpr const char* kPath = "/internal/v1/call-logs";

  // A batch as POST bodies {"records":[…]} within the limits above, and
  // the records in each.
  struct Body {
    std::string text;
    size_t records = 0;
  };
  static std::vector<Body> Bodies(const std::vector<CallRecord>& batch);

 private:
  void Run();
  // One batch, with its retries; false when it was dropped.
  void Deliver(std::vector<CallRecord> batch);
  enum class Sent { kOk, kRetry, kRefused };
  Sent SendOnce(const Body& body);
  // Waits `ms` unless the flush deadline passes first; false when it did.
  bool Backoff(int64_t ms);
  void Dropped(const std::string& reason, size_t n);
  bool PastDeadline();
  // The sender's client; a fresh one after an idle while, so a send never
  // races the portal closing a quiet connection.
  http::Client* Client();

  const http::HttpUrl portal_;
  const std::string token_;
  const CallLogOptions options_;
  GatewayMetrics* metrics_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<CallRecord> queue_;                    // GUARDED_BY(mu_)
  bool stopping_ = false;                           // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point deadline_;  // GUARDED_BY(mu_): set with stopping_
  bool finished_ = false;                           // GUARDED_BY(mu_): the thread is done
  std::mutex client_mu_;                  // the client is used by the sender, cancelled by Stop
  std::unique_ptr<http::Client> client_;  // GUARDED_BY(client_mu_)
  std::chrono::steady_clock::time_point client_used_;  // sender thread only
};

}  // namespace hai::gateway
