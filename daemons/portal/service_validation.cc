#include "daemons/portal/service_validation.h"

#include <cctype>
#include <set>

#include "lib/engine_profile/engine_args.h"
#include "lib/engine_profile/launch.h"
#include "lib/http/json_body.h"

namespace hai::portal {
namespace {

namespace ep = engine_profile;

Status Invalid(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + " " + what, field);
}

bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Node groups are named like nodes: a DNS label.
Status CheckCluster(const std::string& cluster) {
  if (cluster.empty() || cluster.size() > 63)
    return Invalid("cluster", "must be 1 to 63 characters");
  for (char c : cluster)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return Invalid("cluster", "may hold only lower-case letters, digits and '-'");
  if (cluster[0] == '-') return Invalid("cluster", "must not start with '-'");
  return Status::Ok();
}

// Accelerator models as the vendor tools name them: "Ascend910B3", "K100_AI",
// "H100 80GB HBM3".
Status CheckDeviceModel(const std::string& model) {
  if (model.size() > 64) return Invalid("model", "must be at most 64 characters");
  for (char c : model)
    if (!Alnum(c) && c != '-' && c != '_' && c != '.' && c != ' ')
      return Invalid("model", "may hold only letters, digits, spaces, '-', '_' and '.'");
  return Status::Ok();
}

Status CheckDevices(const DeploymentRequest& r) {
  if (r.devices_per_replica < 0) return Invalid("devices_per_replica", "must not be negative");
  if (r.devices_per_replica > 64) return Invalid("devices_per_replica", "must be at most 64");
  if (r.vendor == "cpu" && r.devices_per_replica != 0)
    return Invalid("devices_per_replica", "must be 0 for vendor cpu (no accelerators)");
  if (r.vendor != "cpu" && r.devices_per_replica == 0)
    return Invalid("devices_per_replica",
                   "must be at least 1 for vendor " + r.vendor + " (use vendor cpu for none)");
  if (r.memory_mib < 0 || r.memory_mib > (int64_t{1} << 30))
    return Invalid("memory_mib", "must be from 0 (whole devices) to 1073741824");
  return Status::Ok();
}

// Arguments and variables that mean nothing to the profile's renderer: the
// rest of the sample launch is ours and may fail for reasons that belong to
// the node (simulated devices, say); those are the agent's to report.
bool AboutTheRequest(const Status& st) {
  const std::string& f = st.field();
  return f.rfind("args", 0) == 0 || f.rfind("env", 0) == 0 || f.rfind("params", 0) == 0;
}

}  // namespace

Status CheckServiceName(const std::string& name) {
  if (name.empty() || name.size() > 64) return Invalid("name", "must be 1 to 64 characters");
  if (!Alnum(name[0])) return Invalid("name", "must start with a letter or digit");
  for (char c : name)
    if (!Alnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
      return Invalid("name", "may hold only letters, digits, '-', '_', '.' and ':'");
  return Status::Ok();
}

Status CheckServiceDescription(const std::string& description) {
  return http::CheckText("description", description, 0, 2000);
}

Status CheckServiceCapabilities(const std::vector<std::string>& capabilities) {
  std::set<std::string> seen;
  for (const std::string& c : capabilities) {
    if (!IsKnownCapability(c)) {
      std::string known;
      for (std::string_view k : KnownCapabilities())
        known += (known.empty() ? "" : ", ") + std::string(k);
      return Invalid("capabilities", "'" + c + "' is not one of " + known);
    }
    if (!seen.insert(c).second) return Invalid("capabilities", "names '" + c + "' twice");
  }
  return Status::Ok();
}

Status CheckReplicas(int64_t replicas) {
  if (replicas < 0 || replicas > kMaxReplicas)
    return Invalid("replicas", "must be from 0 to " + std::to_string(kMaxReplicas) + ", got " +
                                   std::to_string(replicas));
  return Status::Ok();
}

Status CheckWeight(int64_t weight) {
  if (weight < 0 || weight > kMaxWeight)
    return Invalid("weight", "must be from 0 (no traffic) to " + std::to_string(kMaxWeight));
  return Status::Ok();
}

Status CheckDeploymentRequest(const DeploymentRequest& r) {
  HAI_RETURN_IF_ERROR(CheckCluster(r.cluster));
  if (r.engine.empty()) return Invalid("engine", "must name an engine profile");
  if (!accel::ParseVendor(r.vendor)) {
    std::string known;
    for (accel::Vendor v : accel::AllVendors())
      known += (known.empty() ? "" : ", ") + std::string(accel::VendorName(v));
    return Invalid("vendor", "'" + r.vendor + "' is not one of " + known);
  }
  HAI_RETURN_IF_ERROR(CheckDeviceModel(r.device_model));
  if (r.vendor == "cpu" && !r.device_model.empty())
    return Invalid("model", "must be empty for vendor cpu");
  HAI_RETURN_IF_ERROR(CheckDevices(r));
  HAI_RETURN_IF_ERROR(CheckReplicas(r.replicas));
  HAI_RETURN_IF_ERROR(CheckWeight(r.weight));
  HAI_RETURN_IF_ERROR(ep::CheckEngineArgs(r.args));
  if (r.env.size() > ep::kMaxEngineEnv)
    return Invalid("env", "holds more than " + std::to_string(ep::kMaxEngineEnv) + " variables");
  return ep::CheckEngineEnv(r.env);
}

Status CheckEngineFits(const std::vector<ep::EngineProfile>& profiles,
                       const accel::AdapterRegistry& adapters, const DeploymentRequest& r,
                       ModelCategory category, const std::string& model_path) {
  const ep::EngineProfile* profile = ep::FindProfile(profiles, r.engine);
  if (profile == nullptr) {
    std::string known;
    for (const ep::EngineProfile& p : profiles) known += (known.empty() ? "" : ", ") + p.name;
    return Invalid("engine",
                   "'" + r.engine + "' is not a known engine profile" +
                       (known.empty() ? " (none is installed)" : " (known: " + known + ")"));
  }
  auto engine_category = ep::ParseCategory(CategoryName(category));
  if (!engine_category || !profile->ServesCategory(*engine_category))
    return Invalid("engine", "'" + r.engine + "' does not serve " +
                                 std::string(CategoryName(category)) + " models");
  const accel::Vendor vendor = *accel::ParseVendor(r.vendor);
  if (!profile->SupportsVendor(vendor))
    return Invalid("vendor", "engine '" + r.engine + "' does not run on " + r.vendor);
  ep::LaunchContext sample;
  sample.model_path = model_path;
  sample.served_name = "sample";
  sample.port = 20000;
  sample.vendor = vendor;
  for (int64_t i = 0; i < r.devices_per_replica; ++i)
    sample.device_ids.push_back(static_cast<int>(i));
  sample.engine_bin_dir = "/usr/lib/hai";
  sample.work_dir = "/var/lib/hai/replicas/sample";
  sample.extra_args = r.args;
  sample.extra_env = r.env;
  Result<ep::LaunchSpec> rendered = ep::Render(*profile, sample, adapters);
  if (!rendered.ok() && AboutTheRequest(rendered.status()))
    return Status::InvalidArgument(rendered.status().message(), rendered.status().field());
  return Status::Ok();
}

}  // namespace hai::portal
