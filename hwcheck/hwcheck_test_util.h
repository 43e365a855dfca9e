#pragma once

// Test-only helpers of hwcheck_test: a temporary directory removed at the end,
// whole-file reads and writes, and a small report to work on.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hwcheck/report.h"
#include "lib/base/test_temp_dir.h"

namespace hai::hwcheck::testing {

using TempDir = ::hai::test::TempDir;

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline CheckItem WithNumber(CheckItem item, double number) {
  item.number = number;
  return item;
}

// One node's r2 report: a mix of verdicts, numbers, assets and facts.
inline Report SampleReport(const std::string& node = "n1") {
  Report r;
  r.node = node;
  r.level = Level::kR2;
  r.profile = "profiles/nodes/ascend-910b3-x8.toml";
  r.started = "2026-11-22T10:00:00.000Z";
  r.finished = "2026-11-22T10:03:00.000Z";
  r.evidence_dir = "/var/lib/hai/hwcheck/" + node + ".evidence";
  CheckItem count = Pass("npu.count", Level::kR1, "npu", "== 8", "8");
  count.number = 8;
  count.evidence = {"npu-smi_info_-l.txt"};
  r.findings.Add(count);
  r.findings.Add(Warn("npu.health.3", Level::kR1, "npu", "== OK", "Warning (80E21007)",
                      "npu-smi reports Warning, error code 80E21007"));
  r.findings.Add(WithNumber(
      Pass("npu.h2d_bw.0", Level::kR2, "npu", "recorded (no baseline)", "24.5 GB/s"), 24.5));
  r.findings.Add(Skip("bmc.reachable", Level::kR1, "bmc", "no --bmc given"));
  r.findings.assets.push_back(
      {node, "npu", "0", "Huawei", "Ascend910B3", "SN-0001", "24.1.rc2", "npu-smi"});
  r.findings.assets.push_back({node, "system", "", "Vendor, Inc.", "X1", "SYS-1", "", "dmi"});
  r.findings.facts.emplace_back("versions.driver", "24.1.rc2");
  r.findings.facts.emplace_back("host.kernel", "5.10.0-182");
  return r;
}

}  // namespace hai::hwcheck::testing
