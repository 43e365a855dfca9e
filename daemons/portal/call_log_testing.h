#pragma once

// Realistic call records for tests and the call-log benchmark: the shapes
// a gateway reports (streams with TTFT/TPOT, non-streamed calls, failures,
// playground calls), drawn from a seeded generator so runs repeat.

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "daemons/portal/call_record.h"

namespace hai::portal::testing {

struct RecordShape {
  int64_t orgs = 3;      // org ids 1 … orgs
  int64_t users = 5;     // user ids 1 … users
  int64_t services = 3;  // service ids 1 … services; some calls name none
};

inline CallRecord SampleRecord(std::mt19937_64& rng, int64_t time_ms, int64_t serial,
                               const RecordShape& shape = {}) {
  auto pick = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  std::uniform_real_distribution<double> unit(0, 1);
  std::lognormal_distribution<double> ttft_ms(std::log(180.0), 0.6);
  std::lognormal_distribution<double> tpot_ms(std::log(25.0), 0.4);
  CallRecord r;
  char id[40];
  std::snprintf(id, sizeof id, "req-%016llx-%08lld", static_cast<unsigned long long>(rng()),
                static_cast<long long>(serial));
  r.request_id = id;
  r.time_ms = time_ms;
  r.org_id = 1 + pick(shape.orgs);
  r.user_id = 1 + pick(shape.users);
  const bool playground = pick(10) == 0;
  r.source = playground ? "playground" : "api";
  if (!playground) {
    r.api_key_id = 1 + pick(20);
    r.api_key_prefix =
        "sk-hai-" + std::string("AbCdEfGhIjKlMn").substr(static_cast<size_t>(pick(7)), 7);
  }
  const bool known = pick(50) != 0;
  if (known) {
    r.service_id = 1 + pick(shape.services);
    r.service = "svc-" + std::to_string(*r.service_id);
    r.deployment_id = *r.service_id * 10;
    r.replica_id = *r.service_id * 100 + pick(3);
  } else {
    r.service = "no-such-model";
  }
  static const char* kEndpoints[] = {"chat/completions", "chat/completions", "completions",
                                     "embeddings", "rerank"};
  r.endpoint = kEndpoints[pick(5)];
  r.stream = r.endpoint == "chat/completions" && pick(3) != 0;
  r.client_ip = "10.20." + std::to_string(pick(8)) + "." + std::to_string(1 + pick(250));
  r.user_agent = playground ? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                              "Gecko) Chrome/126.0.0.0 Safari/537.36"
                            : "OpenAI/Python 1.51.0";
  const int64_t roll = pick(100);
  if (!known) {
    r.failed = true;
    r.status_code = 404;
    r.error = "model_not_found";
  } else if (roll < 3) {
    r.failed = true;
    r.status_code = 429;
    r.error = "rate_limit_exceeded";
  } else if (roll < 5) {
    r.failed = true;
    r.status_code = 502;
    r.error = "upstream_unavailable";
  } else {
    r.status_code = 200;
  }
  r.input_tokens = r.failed ? 0 : 20 + pick(2000);
  const bool generates = r.endpoint == "chat/completions" || r.endpoint == "completions";
  r.output_tokens = r.failed || !generates ? 0 : 1 + pick(600);
  r.total_tokens = r.input_tokens + r.output_tokens;
  r.usage_source = r.failed ? "none" : pick(4) == 0 ? "counted" : "engine";
  const auto us = [](double ms) { return static_cast<int64_t>(std::llround(ms * 1000)); };
  if (r.failed) {
    r.latency_us = us(0.2 + 3 * unit(rng));
    return r;
  }
  if (r.stream) {
    const double ttft = ttft_ms(rng);
    const double tpot = tpot_ms(rng);
    const double latency = ttft + tpot * static_cast<double>(r.output_tokens - 1);
    r.ttft_us = us(ttft);
    if (r.output_tokens >= 2) r.tpot_us = us(tpot);
    r.latency_us = us(latency);
    if (r.output_tokens > 0 && latency > ttft)
      r.tps_milli = us(static_cast<double>(r.output_tokens) / ((latency - ttft) / 1000));
  } else {
    const double latency =
        ttft_ms(rng) + (generates ? 20.0 * static_cast<double>(r.output_tokens) : 0);
    r.latency_us = us(latency);
    if (r.output_tokens > 0)
      r.tps_milli = us(static_cast<double>(r.output_tokens) / (latency / 1000));
  }
  return r;
}

// The record as a gateway sends it (docs/call-logs.md).
inline nlohmann::json RecordJson(const CallRecord& r) {
  using nlohmann::json;
  auto opt = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
  auto ms = [](const std::optional<int64_t>& v) {
    return v ? json(static_cast<double>(*v) / 1000) : json(nullptr);
  };
  return {{"request_id", r.request_id},
          {"time_ms", r.time_ms},
          {"org_id", r.org_id},
          {"user_id", opt(r.user_id)},
          {"api_key_id", opt(r.api_key_id)},
          {"api_key_prefix", r.api_key_prefix},
          {"source", r.source},
          {"service_id", opt(r.service_id)},
          {"service", r.service},
          {"deployment_id", opt(r.deployment_id)},
          {"replica_id", opt(r.replica_id)},
          {"endpoint", r.endpoint},
          {"status", r.failed ? "failure" : "success"},
          {"status_code", r.status_code},
          {"error", r.error},
          {"client_ip", r.client_ip},
          {"user_agent", r.user_agent},
          {"stream", r.stream},
          {"input_tokens", r.input_tokens},
          {"output_tokens", r.output_tokens},
          {"total_tokens", r.total_tokens},
          {"usage_source", r.usage_source},
          {"ttft_ms", ms(r.ttft_us)},
          {"tpot_ms", ms(r.tpot_us)},
          {"latency_ms", static_cast<double>(r.latency_us) / 1000},
          {"tps", ms(r.tps_milli)}};
}

}  // namespace hai::portal::testing
