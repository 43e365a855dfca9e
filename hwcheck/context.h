#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hwcheck/baseline.h"
#include "hwcheck/check.h"
#include "hwcheck/profile.h"
#include "hwcheck/tool_runner.h"

namespace hai::hwcheck {

// A bandwidth peer for r4: another node that runs `hai-hwcheck serve`.
struct Peer {
  std::string name;     // node name as given, else the address
  std::string address;  // host or IP of its `serve` listener
  int port = 0;         // its `serve` port (default 7190)
  // Its NPU ports' RoCE addresses by device index (from --peer-npu-ips), for
  // hccn_tool -roce_test; empty when not given (the RoCE pair test is SKIP).
  std::vector<std::string> npu_addresses;
};

// Everything a suite of checks may read. Suites only add to Findings; they
// never print and never exit.
struct CheckContext {
  Level level = Level::kR1;  // run every check whose level ≤ this
  std::string node;          // this node's name (hostname unless --node)
  const HwProfile* profile = nullptr;
  const Baseline* baseline = nullptr;  // nullptr without --baseline
  ToolRunner* tools = nullptr;
  // Roots of the host's pseudo file systems, "" = "/"; tests point them at a
  // recorded tree. Paths are joined as root + "/proc/meminfo".
  std::string root;
  // Where the Ascend tools live on site (npu-smi is on PATH; hccn_tool is not).
  std::string hccn_tool = "/usr/local/Ascend/driver/tools/hccn_tool";
  std::string ascend_dir = "/usr/local/Ascend";
  std::vector<Peer> peers;        // r4
  std::string hostfile;           // r4 multi-node all-reduce (mpirun -f), "" = SKIP
  std::string token_file;         // cluster token for `serve` peers
  std::chrono::seconds bandwidth_duration{10};  // per bandwidth test
  std::string bmc_url;            // "" = no BMC checks (SKIP)
  std::string bmc_ca_file;        // PEM for redfish+https; "" = system store
  bool bmc_insecure = false;      // accept any BMC certificate (factory self-signed)

  bool AtLeast(Level l) const { return static_cast<int>(level) >= static_cast<int>(l); }
  std::string Path(const std::string& absolute) const { return root + absolute; }
};

}  // namespace hai::hwcheck
