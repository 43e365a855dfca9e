#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "hwcheck/check.h"
#include "hwcheck/context.h"

namespace hai::hwcheck {

// One family of checks, run in order by RunSuites. The production list comes
// from cli.h's DefaultSuites(); tests pass their own.
struct Suite {
  std::string name;  // "host", "npu", "npu_nic", "nvidia", "bmc", "tcp"
  std::function<void(const CheckContext&, Findings*)> run;
};

struct SuiteTiming {
  std::string name;
  std::chrono::milliseconds elapsed{0};
  int items = 0;
};

struct RunResult {
  Findings findings;
  std::vector<SuiteTiming> timings;
  int64_t started_ms = 0;  // wall clock, for the report
  int64_t finished_ms = 0;
  // Items a suite produced above ctx.level: dropped (a suite bug, counted so a
  // test can see it; never in the report).
  int dropped_above_level = 0;
};

// Runs every suite in order; each adds to the same Findings. Suites never
// throw or stop the run (contract in suites.h).
RunResult RunSuites(const CheckContext& ctx, const std::vector<Suite>& suites);

// The BMC suite when no --bmc was given: one SKIP item bmc.reachable.
Suite BmcNotGivenSuite();

// The suite functions of suites.h, as values so that tests can hand in their own.
struct SuiteFunctions {
  std::function<void(const CheckContext&, Findings*)> host, npu, npu_nic, nvidia, bmc, tcp;
};
// The run order for this node: host; then npu + npu_nic (Ascend) or nvidia
// (NVIDIA) by the profile's vendor; bmc when --bmc was given, else
// BmcNotGivenSuite(); tcp at r4.
std::vector<Suite> SelectSuites(const CheckContext& ctx, const SuiteFunctions& fns);

}  // namespace hai::hwcheck
