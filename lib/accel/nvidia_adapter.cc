#include "lib/accel/nvidia_adapter.h"

#include <cmath>

#include "lib/accel/sysfs_pci.h"
#include "lib/accel/tool_text.h"

namespace hai::accel {
namespace {

int64_t Mib(std::string_view s) {
  std::optional<double> v = ParseToolNumber(s);
  return v ? static_cast<int64_t>(std::llround(*v)) : -1;
}

double Number(std::string_view s) {
  std::optional<double> v = ParseToolNumber(s);
  return v ? *v : -1;
}

bool IsNvLink(std::string_view cell) {
  return cell.size() > 2 && cell.starts_with("NV") &&
         cell.find_first_not_of("0123456789", 2) == std::string_view::npos;
}

}  // namespace

Result<std::vector<NvidiaGpuRow>> ParseNvidiaSmiCsv(std::string_view text) {
  std::vector<NvidiaGpuRow> rows;
  int line_no = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_no;
    if (TrimText(line).empty()) continue;
    std::vector<std::string_view> f;
    size_t start = 0;
    while (start <= line.size()) {  // keep empty fields: positions matter
      size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) comma = line.size();
      f.push_back(TrimText(line.substr(start, comma - start)));
      start = comma + 1;
    }
    std::optional<double> index = ParseToolNumber(f[0]);
    if (f.size() < 9 || !index)
      return Status::InvalidArgument("nvidia-smi line " + std::to_string(line_no) +
                                     ": expected 9 fields starting with the index");
    NvidiaGpuRow r;
    r.index = static_cast<int>(*index);
    r.name = std::string(f[1]);
    r.bus_id = std::string(f[2]);
    r.memory_total_mib = Mib(f[3]);
    r.memory_used_mib = Mib(f[4]);
    r.utilization = Number(f[5]);
    r.temperature_c = Number(f[6]);
    r.power_w = Number(f[7]);
    r.ecc_uncorrected = Mib(f[8]);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<int> ParseNvidiaTopology(std::string_view text) {
  return ParseLinkIslands(text, "GPU", IsNvLink);
}

Status NvidiaAdapterConfig::Validate() const {
  if (nvidia_smi.empty()) return Status::InvalidArgument("nvidia-smi path is empty", "nvidia_smi");
  if (timeout.count() <= 0) return Status::InvalidArgument("timeout must be positive", "timeout");
  return Status::Ok();
}

Status NvidiaAdapter::Enrich(std::vector<Device>* devices, CommandRunner& runner) const {
  HAI_RETURN_IF_ERROR(config_.Validate());
  const std::string query = "--query-gpu=" + std::string(kNvidiaQueryFields);
  HAI_ASSIGN_OR_RETURN(
      std::string csv,
      RunForStdout(runner, {config_.nvidia_smi, query, "--format=csv,noheader,nounits"},
                   config_.timeout));
  HAI_ASSIGN_OR_RETURN(std::vector<NvidiaGpuRow> rows, ParseNvidiaSmiCsv(csv));
  for (const NvidiaGpuRow& r : rows) {
    Device* d = FindDeviceByBusId(devices, Vendor::kNvidia, NormalizeBusId(r.bus_id));
    if (!d) continue;
    d->index = r.index;
    d->model = r.name.starts_with("NVIDIA ") ? r.name.substr(7) : r.name;
    d->memory_mib = r.memory_total_mib;
    d->memory_used_mib = r.memory_used_mib;
    d->utilization = r.utilization;
    d->temperature_c = r.temperature_c;
    d->power_w = r.power_w;
    d->ecc_errors = r.ecc_uncorrected;
    d->health = r.ecc_uncorrected > 0 ? Health::kWarning : Health::kOk;
  }

  HAI_ASSIGN_OR_RETURN(std::string topo,
                       RunForStdout(runner, {config_.nvidia_smi, "topo", "-m"}, config_.timeout));
  std::vector<int> islands = ParseNvidiaTopology(topo);
  for (Device& d : *devices) {
    if (d.vendor != Vendor::kNvidia || d.index < 0 || d.index >= static_cast<int>(islands.size()))
      continue;
    if (islands[d.index] >= 0) d.topology_group = "nvlink" + std::to_string(islands[d.index]);
  }
  return Status::Ok();
}

std::map<std::string, std::string> NvidiaAdapter::VisibleDevicesEnv(
    const std::vector<int>& physical_indices) const {
  // CUDA numbers GPUs fastest-first unless told to use PCI order, which is
  // the order nvidia-smi's indices follow.
  return {{"CUDA_VISIBLE_DEVICES", JoinIndices(physical_indices)},
          {"CUDA_DEVICE_ORDER", "PCI_BUS_ID"}};
}

std::vector<std::string> NvidiaAdapter::KubernetesResourceNames(std::string_view) const {
  return {"nvidia.com/gpu", "nvidia.com/gpumem", "nvidia.com/gpucores"};
}

}  // namespace hai::accel
