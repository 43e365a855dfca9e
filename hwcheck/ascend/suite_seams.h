#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "hwcheck/context.h"
#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// The r4 pair tests need the far end started on the peer. The suites take
// that step as a function so tests can stand in for the peer; the public
// RunNpuNicChecks / RunNvidiaChecks (hwcheck/suites.h) pass the real one.

// Starts `hccn_tool -i <device> -roce_test ib_write_bw …` on the peer
// (StartPeerRoceServer, hwcheck/host/peer_control.h).
using RoceServerStarter = std::function<Status(const Peer& peer, const std::string& token_file,
                                               int device, std::chrono::seconds duration)>;
void RunNpuNicChecksWith(const CheckContext& ctx, const RoceServerStarter& start_server,
                         Findings* out);

// Starts `ib_write_bw -d <device> …` (server side) on the peer.
using RdmaServerStarter =
    std::function<Status(const Peer& peer, const std::string& token_file, const std::string& device,
                         std::chrono::seconds duration)>;
void RunNvidiaChecksWith(const CheckContext& ctx, const RdmaServerStarter& start_server,
                         Findings* out);

}  // namespace hai::hwcheck::ascend
