#include "daemons/portal/call_log_json.h"

#include <array>
#include <optional>

#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 30> kFields = {
    "id",           "time",       "time_ms",      "request_id",    "org_id",
    "org_name",     "user_id",    "user_name",    "api_key_id",    "api_key_prefix",
    "source",       "service_id", "service",      "deployment_id", "replica_id",
    "endpoint",     "status",     "status_code",  "error",         "client_ip",
    "user_agent",   "stream",     "input_tokens", "output_tokens", "total_tokens",
    "usage_source", "ttft_ms",    "tpot_ms",      "latency_ms",    "tps"};

json OptId(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json OptThousandths(const std::optional<int64_t>& v) {
  return v ? json(static_cast<double>(*v) / 1000) : json(nullptr);
}

}  // namespace

std::span<const std::string_view> CallLogFields() { return kFields; }

json ToJson(const CallLogEntry& e) {
  const CallRecord& r = e.record;
  return {{"id", e.id},
          {"time", FormatIso8601(r.time_ms)},
          {"time_ms", r.time_ms},
          {"request_id", r.request_id},
          {"org_id", r.org_id},
          {"org_name", e.org_name},
          {"user_id", OptId(r.user_id)},
          {"user_name", e.user_name},
          {"api_key_id", OptId(r.api_key_id)},
          {"api_key_prefix", r.api_key_prefix},
          {"source", r.source},
          {"service_id", OptId(r.service_id)},
          {"service", r.service},
          {"deployment_id", OptId(r.deployment_id)},
          {"replica_id", OptId(r.replica_id)},
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
          {"ttft_ms", OptThousandths(r.ttft_us)},
          {"tpot_ms", OptThousandths(r.tpot_us)},
          {"latency_ms", static_cast<double>(r.latency_us) / 1000},
          {"tps", OptThousandths(r.tps_milli)}};
}

}  // namespace hai::portal
