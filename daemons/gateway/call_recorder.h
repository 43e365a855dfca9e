#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "daemons/gateway/call_record.h"
#include "daemons/gateway/caller_identity.h"
#include "daemons/gateway/rate_limiter.h"
#include "daemons/gateway/route_map.h"
#include "daemons/gateway/token_counter.h"
#include "daemons/gateway/usage_meter.h"
#include "lib/base/clock.h"
#include "lib/http/message.h"

namespace hai::gateway {

struct RecorderDeps {
  CallRecordSink* sink;
  RateLimiter* limiter;
  const Clock* clock;
  TokenCounter* tokens = nullptr;  // nullptr: what the engine does not report is estimated
};

// Measures one call from its receipt to the last byte the caller got, and
// hands its CallRecord to the sink when it ends: the answer's bytes are
// watched as they go out (Finish), never held up. Its usage comes from the
// answer (`usage`), from the stream's events as they pass, or is counted
// here with the model's tokenizer once the TokenCounter has it, estimated
// until then (docs/gateway.md, "Call log"); the tokens are charged to the caller's
// rate-limit windows when the call ends. Nothing is recorded for a caller
// never identified. Used by one request's threads one after the other (the
// handler, then the server thread writing the answer); kept alive by the
// answer it watches.
class CallRecorder {
 public:
  CallRecorder(RecorderDeps deps, const http::Request& req);
  ~CallRecorder();
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  void Identify(const Caller& caller);
  // The `model` asked for, and the service it named (nullptr: none the
  // caller may use).
  void Model(const std::string& model, const RoutedService* service);
  void Stream(bool stream) { stream_ = stream; }
  // The windows the call's tokens count in.
  void ChargeTo(const LimitSubject& subject) { subject_ = subject; }
  // A replica was tried (the last one tried is recorded).
  void Tried(int64_t deployment_id, int64_t replica_id);
  // The replica broke the stream off after it started.
  void StreamBroken() { broken_ = true; }
  // The request's body, once nothing else needs it: read only if the
  // gateway must count the prompt's tokens itself.
  void KeepRequestBody(std::string body) { request_body_ = std::move(body); }

  // The answer as it goes to the caller, watched: the call ends with its
  // last byte (or when the caller goes away: 499).
  static http::Response Finish(std::shared_ptr<CallRecorder> call, http::Response res);

 private:
  void Passed(std::string_view piece);
  void Complete(int status_code, bool caller_gone);
  TokenUsage Usage(int status_code) const;
  // The gateway's own count, where the engine reported none.
  TokenUsage Counted(int64_t events, std::optional<std::string_view> text) const;
  std::string ErrorCode(int status_code, bool caller_gone) const;
  double MsSinceReceipt(std::chrono::steady_clock::time_point t) const;

  RecorderDeps deps_;
  const std::chrono::steady_clock::time_point received_;
  const std::string forwarded_for_;  // the portal's word on the browser's address
  CallRecord record_;
  bool identified_ = false;
  bool stream_ = false;
  bool broken_ = false;
  bool finished_ = false;
  bool completed_ = false;
  LimitSubject subject_;
  int64_t model_id_ = 0;  // the service's model, for its tokenizer
  std::string model_digest_;
  std::string request_body_;
  std::shared_ptr<const std::string> answer_body_;  // non-streamed answers
  StreamUsageMeter meter_;
  std::optional<std::chrono::steady_clock::time_point> first_content_;
};

}  // namespace hai::gateway
