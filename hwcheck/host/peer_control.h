#pragma once

#include <chrono>
#include <string>

#include "hwcheck/context.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// `hai-hwcheck serve`: the far end of the r4 tests on every other node. It
// answers only the fixed requests below, each after a challenge-response on
// the cluster token (HMAC-SHA256 of a fresh nonce; the token never crosses the
// wire), and bounds every test in time. (host/, owner B)
struct ServeOptions {
  std::string listen = "0.0.0.0:7190";  // ADDR:PORT
  std::string token_file = "/etc/hai/cluster.token";
  int max_test_seconds = 60;
  std::string hccn_tool = "/usr/local/Ascend/driver/tools/hccn_tool";
};
// Runs until SIGINT/SIGTERM; returns the process exit status (0, or 1 with a
// message on stderr when it cannot listen or read the token).
int RunServe(const ServeOptions& options);

// TCP bandwidth from here to `peer` for `duration`: bytes/s measured at the
// receiver and reported back. (host/, owner B)
struct TcpBandwidth {
  double gbps = 0;        // 10^9 bit/s, payload only
  double seconds = 0;
  uint64_t bytes = 0;
  int streams = 0;
};
Result<TcpBandwidth> MeasureTcpBandwidth(const Peer& peer, const std::string& token_file,
                                         std::chrono::seconds duration, int streams);

// Asks `peer` to start the server side of `hccn_tool -i <device> -roce_test
// ib_write_bw -s 1048576 -D <seconds> -report_gbits` (the fixed argv; the peer
// runs it through its own runner in the background) and returns once it has
// started; the caller then runs the client side against the peer NPU's
// address. (host/, owner B)
Status StartPeerRoceServer(const Peer& peer, const std::string& token_file, int device,
                           std::chrono::seconds duration);

// The same for a host RDMA NIC: the server side of perftest's `ib_write_bw -d
// <device> -s 1048576 -D <seconds> --report_gbits` on the peer, where
// <device> is an RDMA device name ("mlx5_0": letters, digits, '_', '-').
Status StartPeerRdmaServer(const Peer& peer, const std::string& token_file,
                           const std::string& device, std::chrono::seconds duration);

}  // namespace hai::hwcheck
