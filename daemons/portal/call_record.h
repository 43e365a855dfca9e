#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hai::portal {

// One gateway request of an identified caller, as the gateway reports it
// (the contract is docs/call-logs.md). Durations are integer microseconds
// and tokens per second integer thousandths: what the store keeps, so a
// rollup built at ingest and one recomputed from stored rows agree exactly.
struct CallRecord {
  std::string request_id;
  int64_t time_ms = 0;  // when the gateway received the request
  int64_t org_id = 0;
  std::optional<int64_t> user_id;
  std::optional<int64_t> api_key_id;  // null for playground calls
  std::string api_key_prefix;         // "" for playground calls
  std::string source = "api";         // api | playground
  std::optional<int64_t> service_id;  // null: the model named no usable service
  std::string service;                // the service's name, or the model as asked
  std::optional<int64_t> deployment_id;
  std::optional<int64_t> replica_id;
  std::string endpoint;  // chat/completions | completions | embeddings | rerank
  bool failed = false;   // status: "failure"
  int64_t status_code = 0;
  std::string error;  // the OpenAI error code the caller got
  std::string client_ip;
  std::string user_agent;
  bool stream = false;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t total_tokens = 0;
  std::string usage_source = "none";  // engine | counted | none
  std::optional<int64_t> ttft_us;
  std::optional<int64_t> tpot_us;
  int64_t latency_us = 0;
  std::optional<int64_t> tps_milli;
};

// A stored call with what the list adds to it.
struct CallLogEntry {
  int64_t id = 0;
  CallRecord record;
  std::string org_name;   // "" once the organisation is gone
  std::string user_name;  // "" when there is no user or it is gone
};

}  // namespace hai::portal
