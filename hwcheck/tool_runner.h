#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hwcheck/evidence.h"
#include "lib/accel/command_runner.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// What one vendor tool run gave: its output (when it ran) and the evidence
// file that keeps it.
struct ToolRun {
  Result<accel::CommandOutput> output = Status::Internal("not run");
  std::string evidence;  // EvidenceStore name, "" when nothing was kept
  // "" when the tool ran and exited 0; else why not, in one sentence fit for a
  // SKIP or FAIL reason ("npu-smi not found", "hccn_tool timed out after 30 s",
  // "npu-smi exited 3: <first line of stderr>").
  std::string problem;
  bool missing = false;  // the tool is not installed (a SKIP, never a FAIL)
  bool ok() const { return problem.empty(); }
  const std::string& text() const;  // stdout ("" when it did not run)
};

// The one way hwcheck runs a vendor tool (npu-smi, hccn_tool, ascend-dmi,
// hccl_test, nvidia-smi, ib_write_bw, smartctl, ipmitool, chronyc, mpirun):
// through a CommandRunner (SubprocessRunner on site, FakeCommandRunner in
// tests) with a timeout, saving stdout and stderr as evidence.
class ToolRunner {
 public:
  ToolRunner(accel::CommandRunner& runner, EvidenceStore& evidence)
      : runner_(runner), evidence_(evidence) {}
  ToolRun Run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);
  EvidenceStore& evidence() { return evidence_; }

 private:
  accel::CommandRunner& runner_;
  EvidenceStore& evidence_;
};

}  // namespace hai::hwcheck
