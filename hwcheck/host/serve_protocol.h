#pragma once

// The wire protocol between `hai-hwcheck` (client, r4) and `hai-hwcheck
// serve` (server). Text lines ending in '\n', at most 256 bytes, then raw
// bytes on data streams only.
//
// Every connection starts with a challenge on the cluster token, which never
// crosses the wire:
//   S: HAI-HWCHECK 1 <nonce: 64 hex digits, fresh per connection>
//   C: AUTH <hex HMAC-SHA256(key = token, message = nonce hex text)>
//   S: OK                       or   ERR auth refused   (and the server closes)
// Then exactly one request:
//   C: BW <seconds> <streams>   a TCP bandwidth test; the server grants
//   S: BW <session> <seconds> <streams>   with seconds ≤ max_test_seconds and
//      streams ≤ 8, then the client opens <streams> more connections, each
//      authenticated the same way, each sending "DATA <session>" (answer OK)
//      followed by payload until the server closes it. Once all streams joined
//      (or 5 s passed), the server counts the bytes it receives for <seconds>
//      and answers on the first connection:
//   S: RESULT <bytes> <microseconds> <streams joined>
//   C: ROCE <device> <seconds>  start the fixed server side of hccn_tool's
//      RoCE test on NPU <device> in the background (kill after seconds + 15 s)
//   S: STARTED                  or   ERR <why>, e.g. "ERR hccn_tool not found: <path>"
//   C: RDMA <device> <seconds>  the same for perftest's ib_write_bw on host RDMA
//      device <device> (a name like mlx5_0, at most 32 of [A-Za-z0-9_-])
// Any failure is "ERR <one sentence>" and the connection is closed.

#include <chrono>

namespace hai::hwcheck::host {

inline constexpr const char* kServeGreeting = "HAI-HWCHECK 1";
inline constexpr int kDefaultServePort = 7190;
inline constexpr int kMaxStreams = 8;
inline constexpr int kMaxBandwidthSessions = 4;  // tests running at once
inline constexpr int kMaxConnections = 64;       // open connections of all kinds
inline constexpr int kMaxRoceRuns = 8;           // hccn_tool servers at once (one per NPU)
inline constexpr int kMaxNpuDevice = 63;
inline constexpr size_t kMaxRdmaDeviceName = 32;
inline constexpr std::chrono::seconds kHandshakeTimeout{5};
inline constexpr std::chrono::seconds kStreamJoinTimeout{5};
inline constexpr std::chrono::seconds kRoceGrace{15};

}  // namespace hai::hwcheck::host
