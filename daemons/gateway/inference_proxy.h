#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "daemons/gateway/call_recorder.h"
#include "daemons/gateway/caller_identity.h"
#include "daemons/gateway/client_pool.h"
#include "daemons/gateway/gateway_metrics.h"
#include "daemons/gateway/openai_error.h"
#include "daemons/gateway/picker.h"
#include "daemons/gateway/rate_limiter.h"
#include "daemons/gateway/route_map.h"
#include "lib/base/clock.h"
#include "lib/http/message.h"

namespace hai::gateway {

struct ProxyOptions {
  int retries = 2;
  int64_t eject_ms = 2000;
  int64_t max_eject_ms = 30000;
};

struct ProxyDeps {
  CallerIdentity* callers;
  RouteMap* routes;
  Picker* picker;
  ClientPool* upstreams;
  GatewayMetrics* metrics;
  RateLimiter* limiter;
  CallRecordSink* call_log;
  const Clock* clock;
  ProxyOptions options;
  TokenCounter* tokens = nullptr;  // the models' tokenizers, for calls without usage
};

// The OpenAI-compatible front: checks the caller's key, finds the service
// the body's `model` names, applies the rate limits, and relays the request
// as it is to a replica, trying another one after a connection error or a
// 5xx before the first byte. Answers, streams included, pass through
// unchanged; each call of an identified caller leaves a call record.
// Thread-safe.
class InferenceProxy {
 public:
  explicit InferenceProxy(ProxyDeps deps) : d_(deps) {}

  // POST /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/rerank.
  http::Response Forward(http::Request& req);
  // GET /v1/models: the services the key may call.
  http::Response Models(http::Request& req);

 private:
  // What the relay of one request has learnt so far.
  struct Attempts {
    std::set<int64_t> tried;
    std::optional<http::Response> last_answer;  // the last replica's 5xx, passed on if all fail
    std::string last_error;
  };
  using Call = std::shared_ptr<CallRecorder>;
  // The rate limits' verdict: nullopt, or the 429 to answer.
  std::optional<http::Response> Limit(const Caller& caller, const RoutedService& service,
                                      Call& call, Admission* admission);
  http::Response Dispatch(http::Request& req, const RoutedService& service, bool stream,
                          const Call& call);
  std::optional<http::Response> TryOnce(http::Request& req, const RoutedService& service,
                                        const Pick& pick, Attempts& attempts);
  std::optional<http::Response> TryStream(http::Request& req, const RoutedService& service,
                                          const Pick& pick, Attempts& attempts, const Call& call);
  void Failed(const http::Request& req, const RoutedService& service, ReplicaState& replica,
              const std::string& kind);
  // Counts the answer and hands it to the call's recorder on its way out.
  http::Response Answer(const std::string& service, Call call, http::Response res);

  ProxyDeps d_;
};

}  // namespace hai::gateway
