#pragma once

#include <string>
#include <vector>

#include "hwcheck/ascend/suite_seams.h"
#include "hwcheck/context.h"

namespace hai::hwcheck::ascend {

// One NPU port's TLS switch as read for the node-wide npu_nic.tls check.
struct TlsReading {
  int device = -1;
  std::string state;    // "enable", "disable", … ; "" when unread
  std::string problem;  // why unread
  bool missing = false;
  std::string evidence;
};

// r1 for one NPU port (hccn_tool -i <device>): npu_nic.link/speed/net_health/
// fec/optical/ber/cw_uncorrect/link_flaps.<device>; returns its TLS reading.
TlsReading AddNicPortChecks(const CheckContext& ctx, int device, Findings* out);
// r1: npu_nic.tls, identical on every port (fact "npu_nic.tls").
void AddTlsCheck(const std::vector<TlsReading>& readings, Findings* out);
// r4: roce.pair.<device>.<peer> and roce.errors.<device>.
void AddRocePairChecks(const CheckContext& ctx, const std::vector<int>& devices,
                       const RoceServerStarter& start_server, Findings* out);

}  // namespace hai::hwcheck::ascend
