#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "netconf/host_network.h"

namespace hai::netconf {

// One RoCEv2 lossless QoS plan for the whole fabric (profiles/fabric/README.md
// documents every key): the same DSCP, priority and MTU on the NPU ports, the
// HCCL environment, the host NICs and the switch (reference/appliance-hw.md
// §3.1), plus the addresses of every node's NPU ports and host NICs.

// Ranges the tools accept (reference/appliance-hw.md §1.3, §0.3).
inline constexpr int kNpuMtuMin = 68;
inline constexpr int kNpuMtuMax = 9702;
// Host NICs: the switch advertises 9216 (§3.1), so a larger host MTU could
// never be carried end to end.
inline constexpr int kHostMtuMin = 68;
inline constexpr int kHostMtuMax = 9216;
inline constexpr int kNpuMaxTc = 3;

// What to do about a host NIC's ECN knobs in sysfs (ConnectX exposes them,
// most other devices do not).
enum class EcnMode { kOff, kOptional, kRequired };
std::string_view EcnModeName(EcnMode mode);

// One NPU parameter-plane port, configured with hccn_tool -i <device>.
struct NpuPort {
  int device = 0;         // phy id
  std::string address;    // "10.20.1.11"
  int prefix = 24;
  std::string netmask;    // "255.255.255.0", from prefix
  std::string gateway;    // "" = none
  std::string netdetect;  // probe target; defaults to the gateway
  bool operator==(const NpuPort&) const = default;
};

struct HostNic {
  std::string name;
  int mtu = 0;                         // 0 = leave as it is
  std::vector<std::string> addresses;  // canonical CIDR, sorted
  std::vector<RouteSpec> routes;
  bool dcb = true;                     // false: a NIC without DCB (virtual, 1G management)
  EcnMode ecn = EcnMode::kOptional;
  std::string hca;                     // RDMA device for rdma_cm's default ToS; "" = none
  int hca_port = 1;
  bool operator==(const HostNic&) const = default;
};

struct NodePlan {
  std::string name;
  std::vector<NpuPort> npu_ports;
  std::vector<HostNic> nics;
};

// hccn_tool -pfc_storm: the PFC storm watchdog (§1.3). Unset values keep the
// tool's defaults.
struct PfcStorm {
  int mode = 2;
  std::optional<int> close_time;
  std::optional<int> detect_period;
  std::optional<int> warn_threshold;   // percent, 40–80
  std::optional<int> error_threshold;  // percent, 60–100
};

struct FabricPlan {
  std::string source;  // file name, for messages
  std::string name;
  // [roce]
  int dscp = 33;
  int priority = 4;    // the PFC priority and HCCL_RDMA_SL
  int cnp_dscp = 48;
  std::string trust = "dscp";
  bool tos_ect = false;  // add ECT(0) to rdma_cm's default ToS
  // [pfc]
  PfcStorm pfc_storm;
  // [npu]
  int npu_mtu = 9000;
  int npu_tc = 3;
  std::array<int, 8> npu_prio_tc{0, 0, 0, 0, 3, 0, 0, 0};
  std::vector<int> tc_buffer_sizes;  // -tc_cfg, only when both are set
  std::vector<int> tc_waterlines;
  bool dcqcn_required = false;
  // [host]
  std::array<int, 8> host_prio_tc{0, 0, 0, 0, 1, 0, 0, 0};
  std::array<int, 8> host_tc_tsa{2, 2, 2, 2, 2, 2, 2, 2};  // IEEE_8021QAZ_TSA_*: 0 strict, 2 ETS
  std::array<int, 8> host_tc_bw{50, 50, 0, 0, 0, 0, 0, 0};
  EcnMode host_ecn = EcnMode::kOptional;
  int host_mtu = 0;
  std::vector<NodePlan> nodes;

  int HcclRdmaTc() const { return 4 * dscp; }
  int RoceTos() const { return 4 * dscp + (tos_ect ? 2 : 0); }
  uint8_t PfcBitmap() const { return static_cast<uint8_t>(1u << priority); }
  const NodePlan* FindNode(std::string_view node) const;
};

// Strict: an unknown key, a value out of range or keys that contradict each
// other give InvalidArgument whose field() is the full dotted key
// ("node[1].npu[3].address") and whose message names the file and the key.
Result<FabricPlan> ParseFabricPlan(std::string_view text, const std::string& source);
Result<FabricPlan> LoadFabricPlan(const std::string& path);

}  // namespace hai::netconf
