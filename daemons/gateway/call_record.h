#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace hai::gateway {

// One call as the portal's call log stores it (docs/gateway.md, "Call log";
// the wire contract of POST /internal/v1/call-logs). Written only for calls
// whose caller was identified: a valid API key, or the portal's playground
// on behalf of a signed-in user.
struct CallRecord {
  std::string request_id;
  int64_t time_ms = 0;  // epoch ms when the gateway received the request
  int64_t org_id = 0;
  std::optional<int64_t> user_id;
  std::optional<int64_t> api_key_id;  // nullopt for playground calls
  std::string api_key_prefix;         // "" for playground calls
  std::string source;                 // "api" or "playground"
  std::optional<int64_t> service_id;  // nullopt: the model named no service the caller may use
  std::string service;                // the service's name, or `model` as asked (cut)
  std::optional<int64_t> deployment_id;
  std::optional<int64_t> replica_id;
  std::string endpoint;  // chat/completions, completions, embeddings, rerank
  std::string status;    // success, failure
  int status_code = 0;   // what the caller got; 499 when it went away
  std::string error;     // the OpenAI error code the caller got, "" on success (cut)
  std::string client_ip;
  std::string user_agent;  // at most kMaxUserAgent bytes
  bool stream = false;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t total_tokens = 0;
  std::string usage_source = "none";  // engine, counted, none
  std::optional<double> ttft_ms;
  std::optional<double> tpot_ms;
  double latency_ms = 0;
  std::optional<double> tps;

  // Text from callers or engines is cut (bytes), so a record stays small
  // whatever was sent.
  static constexpr size_t kMaxUserAgent = 256;
  static constexpr size_t kMaxRequestId = 128;
  static constexpr size_t kMaxService = 256;
  static constexpr size_t kMaxError = 128;
};

// Fills tpot_ms and tps from latency_ms, ttft_ms (streams) and
// output_tokens: tpot = (latency − ttft) / (output − 1) for streams with at
// least two output tokens; tps = output / generation seconds (after the
// first token for streams, the whole latency otherwise); null where the
// division has nothing to divide by.
void DeriveRates(CallRecord* record);

// The record as the portal's ingest reads it: every field, nulls included.
nlohmann::json CallRecordJson(const CallRecord& record);

// Where finished calls go. Implementations never block the caller for
// long (a bounded queue at most) and are thread-safe.
class CallRecordSink {
 public:
  virtual ~CallRecordSink() = default;
  virtual void Add(CallRecord record) = 0;
};

}  // namespace hai::gateway
