#pragma once

#include <cstdint>
#include <string>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// What a node is expected to have and the pass thresholds, from a hardware
// profile in profiles/nodes/ (its [node] and [[devices]] tables, read by
// lib/accel's loader) plus its optional [hwcheck] table. Every [hwcheck] key
// has a default taken from reference/appliance-hw.md §8; the defaults and
// keys are documented in profiles/nodes/README.md. Errors name the file and
// the key.
struct HwProfile {
  std::string path;          // "" for the built-in default
  std::string name;          // [node] name
  accel::Vendor vendor = accel::Vendor::kCpu;  // of the first [[devices]] entry; kCpu if none
  int device_count = 0;      // sum of [[devices]] count
  std::string device_model;  // first entry's model, "Ascend910B3"
  int64_t device_memory_mib = 0;  // rated HBM per device (first entry)
  int host_cpu_cores = 0;         // [node] cpu_cores
  int64_t host_memory_mib = 0;    // [node] memory_mib

  // [hwcheck] keys (defaults in brackets)
  double hbm_min_fraction = 0.95;          // hbm_min_fraction: reported ≥ this × rated
  int64_t npu_nic_speed_mbps = 200000;     // npu_nic_speed_mbps
  int npu_nic_count = -1;                  // npu_nic_count [= device_count on Ascend]
  double roce_min_gbps = 190;              // roce_min_gbps: per NPU pair, ib_write_bw
  double tcp_min_gbps = 0;                 // tcp_min_gbps: 0 = recorded, no threshold
  double ntp_max_offset_ms = 1.0;          // ntp_max_offset_ms
  double host_memory_min_fraction = 0.95;  // host_memory_min_fraction of memory_mib
  double baseline_bandwidth_fraction = 0.9;  // r2 h2d/d2d, r3 allreduce busbw vs baseline
  double baseline_compute_fraction = 0.95;   // r3 TFLOPS vs baseline
  double h2d_min_gbps = 0;        // h2d_min_gbps: absolute floor, 0 = none (baseline only)
  double d2d_min_gbps = 0;        // d2d_min_gbps
  double fp16_min_tflops = 0;     // fp16_min_tflops
  double allreduce_min_busbw_gbps = 0;  // allreduce_min_busbw_gbps, at the largest size
  std::string thp = "madvise";    // expected /sys/kernel/mm/transparent_hugepage/enabled
};

// Loads and checks a profile file; the built-in default (no file) is a
// CPU-only node with the defaults above.
Result<HwProfile> LoadHwProfile(const std::string& path);
Result<HwProfile> ParseHwProfile(const std::string& text, const std::string& source_name);

}  // namespace hai::hwcheck
