#include "hwcheck/profile.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "lib/accel/hardware_profile.h"
#include "lib/config/toml_parse.h"

namespace hai::hwcheck {
namespace {

// Reads the [hwcheck] table key by key. lib/config's Section has no reader for
// floating-point numbers, and thresholds are fractions, so this small reader
// keeps the same message shape: "<file>: hwcheck.<key>: <what>".
class HwcheckTable {
 public:
  HwcheckTable(const toml::table* table, std::string file)
      : table_(table), file_(std::move(file)) {}

  // A number (integer or float) in [min, max].
  void Number(std::string_view key, double* out, double min, double max) {
    const toml::node* node = Find(key);
    if (!node) return;
    double v = 0;
    if (node->is_integer()) {
      v = static_cast<double>(*node->value<int64_t>());
    } else if (node->is_floating_point()) {
      v = *node->value<double>();
    } else {
      return Fail(key, "expected a number");
    }
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream what;
      what << "expected a number from " << min << " to " << max << ", got " << v;
      return Fail(key, what.str());
    }
    *out = v;
  }

  void Integer(std::string_view key, int64_t* out, int64_t min, int64_t max) {
    const toml::node* node = Find(key);
    if (!node) return;
    if (!node->is_integer()) return Fail(key, "expected an integer");
    int64_t v = *node->value<int64_t>();
    if (v < min || v > max)
      return Fail(key, "expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got " + std::to_string(v));
    *out = v;
  }

  void OneOf(std::string_view key, std::string* out, const std::set<std::string>& allowed) {
    const toml::node* node = Find(key);
    if (!node) return;
    if (!node->is_string()) return Fail(key, "expected a string");
    std::string v = *node->value<std::string>();
    if (!allowed.contains(v)) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Fail(key, "expected one of " + list + ", got \"" + v + "\"");
    }
    *out = v;
  }

  Status Finish() const {
    if (!error_.ok()) return error_;
    for (const auto& [key, node] : *table_) {
      if (!read_.contains(key.str()))
        return Status::InvalidArgument(
            file_ + ": hwcheck." + std::string(key.str()) + ": unknown key",
            "hwcheck." + std::string(key.str()));
    }
    return Status::Ok();
  }

 private:
  const toml::node* Find(std::string_view key) {
    read_.insert(std::string(key));
    return table_->get(key);
  }
  void Fail(std::string_view key, const std::string& what) {
    if (!error_.ok()) return;
    error_ = Status::InvalidArgument(file_ + ": hwcheck." + std::string(key) + ": " + what,
                                     "hwcheck." + std::string(key));
  }

  const toml::table* table_;
  std::string file_;
  std::set<std::string, std::less<>> read_;
  Status error_;
};

Status ReadHwcheck(const toml::table& table, const std::string& file, HwProfile* p) {
  HwcheckTable t(&table, file);
  int64_t nic_count = p->npu_nic_count;
  t.Number("hbm_min_fraction", &p->hbm_min_fraction, 0.01, 1.0);
  t.Integer("npu_nic_speed_mbps", &p->npu_nic_speed_mbps, 1, 10'000'000);
  t.Integer("npu_nic_count", &nic_count, -1, 64);
  t.Number("roce_min_gbps", &p->roce_min_gbps, 0, 10'000);
  t.Number("tcp_min_gbps", &p->tcp_min_gbps, 0, 10'000);
  t.Number("ntp_max_offset_ms", &p->ntp_max_offset_ms, 0.001, 3'600'000);
  t.Number("host_memory_min_fraction", &p->host_memory_min_fraction, 0.01, 1.0);
  t.Number("baseline_bandwidth_fraction", &p->baseline_bandwidth_fraction, 0.01, 1.0);
  t.Number("baseline_compute_fraction", &p->baseline_compute_fraction, 0.01, 1.0);
  t.Number("h2d_min_gbps", &p->h2d_min_gbps, 0, 100'000);
  t.Number("d2d_min_gbps", &p->d2d_min_gbps, 0, 100'000);
  t.Number("fp16_min_tflops", &p->fp16_min_tflops, 0, 1'000'000);
  t.Number("allreduce_min_busbw_gbps", &p->allreduce_min_busbw_gbps, 0, 100'000);
  t.OneOf("thp", &p->thp, {"always", "madvise", "never"});
  HAI_RETURN_IF_ERROR(t.Finish());
  p->npu_nic_count = static_cast<int>(nic_count);
  return Status::Ok();
}

}  // namespace

Result<HwProfile> ParseHwProfile(const std::string& text, const std::string& source_name) {
  HAI_ASSIGN_OR_RETURN(accel::NodeInventory inv, accel::ParseHardwareProfile(text, source_name));
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text, source_name));
  HwProfile p;
  p.path = source_name;
  p.name = inv.node;
  p.host_cpu_cores = inv.cpu_cores;
  p.host_memory_mib = inv.memory_mib;
  p.device_count = static_cast<int>(inv.devices.size());
  if (!inv.devices.empty()) {
    p.vendor = inv.devices.front().vendor;
    p.device_model = inv.devices.front().model;
    p.device_memory_mib = inv.devices.front().memory_mib;
  }
  if (const toml::node* hw = root.get("hwcheck")) {
    if (!hw->is_table())
      return Status::InvalidArgument(source_name + ": hwcheck: expected a [hwcheck] table",
                                     "hwcheck");
    HAI_RETURN_IF_ERROR(ReadHwcheck(*hw->as_table(), source_name, &p));
  }
  // One RoCE port per NPU on Ascend servers (reference/appliance-hw.md §0.1).
  if (p.npu_nic_count < 0)
    p.npu_nic_count = p.vendor == accel::Vendor::kAscend ? p.device_count : 0;
  return p;
}

Result<HwProfile> LoadHwProfile(const std::string& path) {
  if (path.empty()) {
    HwProfile p;  // a CPU-only node: host, BMC and TCP checks with the defaults
    p.npu_nic_count = 0;
    return p;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot open the hardware profile", "--profile");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseHwProfile(text.str(), path);
}

}  // namespace hai::hwcheck
