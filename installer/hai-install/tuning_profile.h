#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lib/base/status.h"

namespace hai::install {

// A kernel tuning profile (profiles/tuning/NAME.toml; format in
// profiles/tuning/README.md).
struct TuningProfile {
  std::string name;
  std::string file;
  std::string description;
  std::string thp_enabled = "madvise";  // /sys/kernel/mm/transparent_hugepage/enabled
  std::string thp_defrag = "madvise";   // .../defrag
  // Key ("vm.swappiness") → value as sysctl.d takes it ("10", "4096 87380 6291456").
  std::vector<std::pair<std::string, std::string>> sysctls;
  // I/O scheduler by device type.
  std::string sched_nvme = "none";
  std::string sched_ssd = "mq-deadline";
  std::string sched_hdd = "mq-deadline";
};

// sysctls the Ascend driver's init script sets itself; a profile may not.
const std::vector<std::string>& DriverOwnedSysctls();

// Reads DIR/NAME.toml. Errors name the file and the key.
Result<TuningProfile> LoadTuningProfile(const std::string& dir, const std::string& name);
// The profile names in DIR (file names without .toml), sorted.
std::vector<std::string> TuningProfileNames(const std::string& dir);

// The /proc/sys path of a sysctl key: "net.ipv4.tcp_rmem" → /proc/sys/net/ipv4/tcp_rmem.
std::string SysctlPath(const std::string& key);

}  // namespace hai::install
