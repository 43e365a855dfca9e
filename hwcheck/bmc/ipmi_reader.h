#pragma once

// The pieces of ReadIpmiBmc (bmc_readers.h) that tests look at on their own.

#include <chrono>
#include <string>
#include <vector>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/tool_runner.h"

namespace hai::hwcheck::bmc {

// ipmitool's own per-request wait (-N, seconds) and retries (-R) for a
// command that may take `timeout` in all: it backs off, so with -N 1 a BMC
// that never answers costs about R × (R + 1) s; R is the largest of 1..3 that
// keeps this under half the timeout, so ipmitool says "no answer" itself
// before it has to be killed.
struct IpmiRetry {
  int wait_s = 1;
  int retries = 1;
};
IpmiRetry IpmiRetryFor(std::chrono::milliseconds timeout);

// `ipmitool -I lanplus -C 3 -N n -R r -H host -p port -U user -f FILE <command…>`.
std::vector<std::string> IpmiArgv(const BmcTarget& target, const std::string& password_file,
                                  IpmiRetry retry, const std::vector<std::string>& command);

// Whether a failed ipmitool run failed to get a session at all, and why:
// refused (RAKP: wrong user or password, no cipher suite 3), no answer, or
// killed at the timeout. kNone for any other outcome.
enum class IpmiSessionFailure { kNone, kRefused, kNoAnswer, kTimedOut };
IpmiSessionFailure ClassifyIpmiSession(const ToolRun& run, std::string* detail);

}  // namespace hai::hwcheck::bmc
