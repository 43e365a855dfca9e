#include "lib/accel/ascend_adapter.h"

#include "lib/accel/npu_smi_parser.h"
#include "lib/accel/sysfs_pci.h"

namespace hai::accel {
namespace {

void ApplySummary(const NpuChipSummary& chip, Device* d) {
  d->index = chip.npu_id;
  if (!chip.name.empty())
    d->model = chip.name.starts_with("Ascend") ? chip.name : "Ascend" + chip.name;
  d->health = NpuHealth(chip.health);
  d->power_w = chip.power_w;
  d->temperature_c = chip.temperature_c;
  d->utilization = chip.aicore_percent;
  if (chip.hbm_total_mib > 0) {
    d->memory_mib = chip.hbm_total_mib;
    d->memory_used_mib = chip.hbm_used_mib;
  } else if (chip.memory_total_mib > 0) {  // 310-style cards: DDR only
    d->memory_mib = chip.memory_total_mib;
    d->memory_used_mib = chip.memory_used_mib;
  }
}

void ApplyDetails(const NpuDetails& n, Device* d) {
  if (!n.firmware.empty()) d->firmware = n.firmware;
  if (!n.serial.empty()) d->serial = n.serial;
  if (n.hbm_capacity_mib > 0) d->memory_mib = n.hbm_capacity_mib;
  if (n.hbm_usage_percent >= 0 && d->memory_used_mib < 0 && d->memory_mib > 0)
    d->memory_used_mib = static_cast<int64_t>(d->memory_mib * n.hbm_usage_percent / 100.0);
  if (n.aicore_percent >= 0) d->utilization = n.aicore_percent;
  if (n.aicore_count > 0) d->compute_units = n.aicore_count;
  if (n.temperature_c >= 0 && d->temperature_c < 0) d->temperature_c = n.temperature_c;
  if (n.power_w >= 0 && d->power_w < 0) d->power_w = n.power_w;
  if (!n.health.empty()) d->health = NpuHealth(n.health);
  if (n.hbm_double_bit_errors >= 0) d->ecc_errors = n.hbm_double_bit_errors;
}

}  // namespace

Status AscendAdapterConfig::Validate() const {
  if (npu_smi.empty()) return Status::InvalidArgument("npu-smi path is empty", "npu_smi");
  if (timeout.count() <= 0) return Status::InvalidArgument("timeout must be positive", "timeout");
  return Status::Ok();
}

Status AscendAdapter::Enrich(std::vector<Device>* devices, CommandRunner& runner) const {
  HAI_RETURN_IF_ERROR(config_.Validate());
  const std::string& tool = config_.npu_smi;
  HAI_ASSIGN_OR_RETURN(std::string summary, RunForStdout(runner, {tool, "info"}, config_.timeout));
  HAI_ASSIGN_OR_RETURN(std::vector<NpuChipSummary> chips, ParseNpuSmiInfo(summary));

  Status first_error;
  auto note = [&](const Status& s) {
    if (!s.ok() && first_error.ok()) first_error = s;
  };
  for (const NpuChipSummary& chip : chips) {
    Device* d = FindDeviceByBusId(devices, Vendor::kAscend, NormalizeBusId(chip.bus_id));
    if (!d) continue;  // npu-smi saw a chip PCI did not: trust PCI
    ApplySummary(chip, d);
    NpuDetails details;
    for (const char* query : {"board", "memory", "usages", "common", "health", "ecc"}) {
      auto text = RunForStdout(
          runner, {tool, "info", "-t", query, "-i", std::to_string(chip.npu_id)}, config_.timeout);
      if (!text.ok()) {
        note(text.status());
        continue;
      }
      ApplyDetails(ParseNpuDetails(*text), d);
    }
  }

  auto topo = RunForStdout(runner, {tool, "info", "-t", "topo"}, config_.timeout);
  if (!topo.ok()) {
    note(topo.status());
    return first_error;
  }
  std::vector<int> islands = ParseNpuTopology(*topo);
  for (Device& d : *devices) {
    if (d.vendor != Vendor::kAscend || d.index < 0 || d.index >= static_cast<int>(islands.size()))
      continue;
    if (islands[d.index] >= 0) d.topology_group = "hccs" + std::to_string(islands[d.index]);
  }
  return first_error;
}

std::map<std::string, std::string> AscendAdapter::VisibleDevicesEnv(
    const std::vector<int>& physical_indices) const {
  return {{"ASCEND_RT_VISIBLE_DEVICES", JoinIndices(physical_indices)}};
}

std::vector<std::string> AscendAdapter::KubernetesResourceNames(std::string_view model) const {
  std::vector<std::string> names;
  if (model.starts_with("Ascend")) {
    std::string sku = "huawei.com/" + std::string(model);
    names = {sku, sku + "-memory", sku + "-core"};
  }
  if (model.starts_with("Ascend910")) names.push_back("huawei.com/Ascend910");
  names.push_back("huawei.com/npu");
  return names;
}

}  // namespace hai::accel
