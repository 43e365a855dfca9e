#include "daemons/gateway/call_record.h"

#include <nlohmann/json.hpp>

namespace hai::gateway {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

void DeriveRates(CallRecord* r) {
  r->tpot_ms.reset();
  r->tps.reset();
  if (r->output_tokens <= 0) return;
  const double output = static_cast<double>(r->output_tokens);
  if (r->stream) {
    if (!r->ttft_ms) return;
    const double generating_ms = r->latency_ms - *r->ttft_ms;
    if (r->output_tokens >= 2) r->tpot_ms = generating_ms / (output - 1);
    if (generating_ms > 0) r->tps = output / (generating_ms / 1000);
    return;
  }
  if (r->latency_ms > 0) r->tps = output / (r->latency_ms / 1000);
}

nlohmann::json CallRecordJson(const CallRecord& r) {
  return {{"request_id", r.request_id},
          {"time_ms", r.time_ms},
          {"org_id", r.org_id},
          {"user_id", OrNull(r.user_id)},
          {"api_key_id", OrNull(r.api_key_id)},
          {"api_key_prefix", r.api_key_prefix},
          {"source", r.source},
          {"service_id", OrNull(r.service_id)},
          {"service", r.service},
          {"deployment_id", OrNull(r.deployment_id)},
          {"replica_id", OrNull(r.replica_id)},
          {"endpoint", r.endpoint},
          {"status", r.status},
          {"status_code", r.status_code},
          {"error", r.error},
          {"client_ip", r.client_ip},
          {"user_agent", r.user_agent},
          {"stream", r.stream},
          {"input_tokens", r.input_tokens},
          {"output_tokens", r.output_tokens},
          {"total_tokens", r.total_tokens},
          {"usage_source", r.usage_source},
          {"ttft_ms", OrNull(r.ttft_ms)},
          {"tpot_ms", OrNull(r.tpot_ms)},
          {"latency_ms", r.latency_ms},
          {"tps", OrNull(r.tps)}};
}

}  // namespace hai::gateway
