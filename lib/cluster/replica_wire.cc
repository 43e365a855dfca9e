#include "lib/cluster/replica_wire.h"

#include <array>
#include <nlohmann/json.hpp>

#include "lib/cluster/json_reader.h"
#include "lib/cluster/model_manifest.h"
#include "lib/cluster/wire.h"

namespace hai::cluster {
namespace {

using internal::Reader;

constexpr std::array<std::string_view, 5> kPhaseNames = {"Pending", "Starting", "Ready", "Failed",
                                                         "Stopped"};
// Generous bounds that still keep one message small: a node has at most a few
// hundred devices and a deployment a handful of arguments.
constexpr size_t kMaxDevices = 256;
constexpr size_t kMaxReplicasPerReport = 4096;
constexpr int kMaxTp = 4096;

nlohmann::json Optional(const std::optional<int>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

Status CheckRange(const Reader& r, const char* key, int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) return Status::Ok();
  return Status::InvalidArgument(
      r.Path(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max),
      r.Path(key));
}

Result<ReplicaStatus> StatusAt(const nlohmann::json& j, const std::string& where) {
  Reader r(j, where);
  ReplicaStatus s;
  std::string phase;
  r.Get("replica_id", &s.replica_id);
  r.Get("generation", &s.generation);
  r.Get("phase", &phase);
  r.Get("reason", &s.reason, false);
  r.Get("message", &s.message, false);
  r.Get("pid", &s.pid, false);
  r.Get("port", &s.port, false);
  r.Get("address", &s.address, false);
  r.Get("restarts", &s.restarts, false);
  int value = 0;
  if (r.Child("exit_code") && !r.Child("exit_code")->is_null()) {
    r.Get("exit_code", &value);
    s.exit_code = value;
  }
  if (r.Child("signal") && !r.Child("signal")->is_null()) {
    r.Get("signal", &value);
    s.signal = value;
  }
  r.Get("since_ms", &s.since_ms, false);
  HAI_RETURN_IF_ERROR(r.status());
  if (Status st = CheckReplicaId(s.replica_id); !st.ok())
    return Status::InvalidArgument(r.Path("replica_id") + ": " + st.message(),
                                   r.Path("replica_id"));
  auto p = ParseReplicaPhase(phase);
  if (!p)
    return Status::InvalidArgument(r.Path("phase") + ": unknown phase '" + phase + "'",
                                   r.Path("phase"));
  s.phase = *p;
  HAI_RETURN_IF_ERROR(CheckRange(r, "generation", s.generation, 0, INT64_MAX));
  HAI_RETURN_IF_ERROR(CheckRange(r, "pid", s.pid, 0, INT32_MAX));
  HAI_RETURN_IF_ERROR(CheckRange(r, "port", s.port, 0, 65535));
  HAI_RETURN_IF_ERROR(CheckRange(r, "restarts", s.restarts, 0, INT32_MAX));
  return s;
}

}  // namespace

std::string_view ReplicaPhaseName(ReplicaPhase phase) {
  return kPhaseNames[static_cast<size_t>(phase)];
}

std::optional<ReplicaPhase> ParseReplicaPhase(std::string_view name) {
  for (size_t i = 0; i < kPhaseNames.size(); ++i)
    if (kPhaseNames[i] == name) return static_cast<ReplicaPhase>(i);
  return std::nullopt;
}

Status CheckReplicaId(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 63 && id[0] >= 'a' && id[0] <= 'z';
  for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok)
    return Status::InvalidArgument("replica id '" + std::string(id.substr(0, 80)) +
                                       "' must be 1-63 of a-z, 0-9 and '-', starting with a letter",
                                   "replica_id");
  return Status::Ok();
}

nlohmann::json ToJson(const ReplicaAssignment& a) {
  return {{"replica_id", a.replica_id},
          {"deployment_id", a.deployment_id},
          {"service", a.service},
          {"engine", a.engine},
          {"model_path", a.model_path},
          {"model_id", a.model_id},
          {"model_digest", a.model_digest},
          {"vendor", accel::VendorName(a.vendor)},
          {"device_ids", a.device_ids},
          {"simulated", a.simulated},
          {"tp", a.tp},
          {"params", a.params},
          {"args", a.args},
          {"env", a.env},
          {"generation", a.generation}};
}

nlohmann::json ToJson(const ReplicaStatus& s) {
  return {{"replica_id", s.replica_id},
          {"generation", s.generation},
          {"phase", ReplicaPhaseName(s.phase)},
          {"reason", s.reason},
          {"message", s.message},
          {"pid", s.pid},
          {"port", s.port},
          {"address", s.address},
          {"restarts", s.restarts},
          {"exit_code", Optional(s.exit_code)},
          {"signal", Optional(s.signal)},
          {"since_ms", s.since_ms}};
}

nlohmann::json ToJson(const ReplicaReport& r) {
  nlohmann::json replicas = nlohmann::json::array();
  for (const ReplicaStatus& s : r.replicas) replicas.push_back(ToJson(s));
  return {{"node", r.node}, {"replicas", replicas}};
}

Result<ReplicaAssignment> ReplicaAssignmentFromJson(const nlohmann::json& j) {
  Reader r(j, "");
  ReplicaAssignment a;
  std::string vendor;
  r.Get("replica_id", &a.replica_id);
  r.Get("deployment_id", &a.deployment_id);
  r.Get("service", &a.service);
  r.Get("engine", &a.engine);
  r.Get("model_path", &a.model_path);
  r.Get("model_id", &a.model_id, false);
  r.Get("model_digest", &a.model_digest, false);
  r.Get("vendor", &vendor);
  r.Get("device_ids", &a.device_ids, false);
  r.Get("simulated", &a.simulated, false);
  r.Get("tp", &a.tp, false);
  r.Get("params", &a.params, false);
  r.Get("args", &a.args, false);
  r.Get("env", &a.env, false);
  r.Get("generation", &a.generation);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(CheckReplicaId(a.replica_id));
  auto v = accel::ParseVendor(vendor);
  if (!v) return Status::InvalidArgument("vendor: unknown vendor '" + vendor + "'", "vendor");
  a.vendor = *v;
  const std::pair<const char*, const std::string*> non_empty[] = {
      {"service", &a.service}, {"engine", &a.engine}, {"model_path", &a.model_path}};
  for (const auto& [key, value] : non_empty)
    if (value->empty())
      return Status::InvalidArgument(std::string(key) + " must not be empty", key);
  if (a.model_path[0] != '/')
    return Status::InvalidArgument("model_path must be an absolute path", "model_path");
  if (a.device_ids.size() > kMaxDevices)
    return Status::InvalidArgument("device_ids: at most " + std::to_string(kMaxDevices),
                                   "device_ids");
  for (size_t i = 0; i < a.device_ids.size(); ++i)
    if (a.device_ids[i] < 0 || a.device_ids[i] > 4096)
      return Status::InvalidArgument("device_ids[" + std::to_string(i) + "] out of range",
                                     "device_ids[" + std::to_string(i) + "]");
  HAI_RETURN_IF_ERROR(CheckRange(r, "model_id", a.model_id, 0, INT64_MAX));
  if (!a.model_digest.empty() && !IsSha256Hex(a.model_digest))
    return Status::InvalidArgument("model_digest must be empty or 64 lower-case hex digits",
                                   "model_digest");
  HAI_RETURN_IF_ERROR(CheckRange(r, "tp", a.tp, 0, kMaxTp));
  HAI_RETURN_IF_ERROR(CheckRange(r, "generation", a.generation, 1, INT64_MAX));
  return a;
}

Result<ReplicaStatus> ReplicaStatusFromJson(const nlohmann::json& j) { return StatusAt(j, ""); }

Result<ReplicaReport> ReplicaReportFromJson(const nlohmann::json& j) {
  Reader r(j, "");
  ReplicaReport report;
  r.Get("node", &report.node);
  HAI_RETURN_IF_ERROR(r.status());
  HAI_RETURN_IF_ERROR(CheckNodeName(report.node));
  const nlohmann::json* replicas = r.Child("replicas");
  if (!replicas || !replicas->is_array())
    return Status::InvalidArgument("replicas must be an array", "replicas");
  if (replicas->size() > kMaxReplicasPerReport)
    return Status::InvalidArgument(
        "replicas: at most " + std::to_string(kMaxReplicasPerReport) + " in one report",
        "replicas");
  for (size_t i = 0; i < replicas->size(); ++i) {
    HAI_ASSIGN_OR_RETURN(ReplicaStatus s,
                         StatusAt((*replicas)[i], "replicas[" + std::to_string(i) + "]"));
    report.replicas.push_back(std::move(s));
  }
  return report;
}

}  // namespace hai::cluster
