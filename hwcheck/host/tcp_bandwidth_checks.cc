#include <string>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {
namespace {

constexpr Level kR4 = Level::kR4;
constexpr const char* kBandwidth = "bandwidth";
constexpr int kStreams = 4;  // enough to fill a 25-100 GbE host link with one core each

// The floor for this pair: the profile's absolute one, else a fraction of
// the baseline's number; 0 when there is neither (the value is recorded).
double MinimumGbps(const CheckContext& ctx, const std::string& id, std::string* threshold) {
  if (ctx.profile != nullptr && ctx.profile->tcp_min_gbps > 0) {
    *threshold = ">= " + host::FormatNumber(ctx.profile->tcp_min_gbps) + " Gb/s";
    return ctx.profile->tcp_min_gbps;
  }
  if (std::optional<double> before = host::BaselineNumber(ctx, id)) {
    const double fraction = ctx.profile ? ctx.profile->baseline_bandwidth_fraction : 0.9;
    *threshold = ">= " + host::FormatNumber(fraction * *before) + " Gb/s (" +
                 host::FormatNumber(fraction) + " x baseline " + host::FormatNumber(*before) +
                 " Gb/s)";
    return fraction * *before;
  }
  *threshold = host::kNoBaseline;
  return 0;
}

CheckItem MeasurePair(const CheckContext& ctx, const Peer& peer) {
  const std::string name = peer.name.empty() ? peer.address : peer.name;
  const std::string id = "tcp.pair." + name;
  Result<TcpBandwidth> bw =
      MeasureTcpBandwidth(peer, ctx.token_file, ctx.bandwidth_duration, kStreams);
  std::string threshold;
  const double minimum = MinimumGbps(ctx, id, &threshold);
  std::string evidence_text = "TCP bandwidth to " + name + " (" + peer.address + ")\n";
  CheckItem item;
  if (!bw.ok()) {
    item = Fail(id, kR4, kBandwidth, threshold, "", bw.status().message());
    evidence_text += "error: " + bw.status().message() + "\n";
  } else {
    std::string value = host::FormatNumber(bw->gbps) + " Gb/s (TCP, " +
                        std::to_string(bw->streams) + " streams, " +
                        host::FormatNumber(bw->seconds, 1) + " s)";
    item = bw->gbps >= minimum ? Pass(id, kR4, kBandwidth, threshold, value)
                               : Fail(id, kR4, kBandwidth, threshold, value,
                                      "TCP bandwidth to " + name + " below the threshold");
    item.number = bw->gbps;
    evidence_text += "bytes " + std::to_string(bw->bytes) + " in " +
                     host::FormatNumber(bw->seconds, 6) + " s over " + std::to_string(bw->streams) +
                     " streams, measured at the receiver\n";
  }
  if (ctx.tools != nullptr) {
    std::string file = ctx.tools->evidence().Save("tcp-bandwidth " + name, evidence_text);
    if (!file.empty()) item.evidence.push_back(file);
  }
  return item;
}

}  // namespace

void RunTcpBandwidthChecks(const CheckContext& ctx, Findings* out) {
  if (!ctx.AtLeast(kR4)) return;
  if (ctx.peers.empty()) {
    out->Add(Skip("tcp.pair", kR4, kBandwidth, "no --peer given"));
    return;
  }
  for (const Peer& peer : ctx.peers) out->Add(MeasurePair(ctx, peer));
}

}  // namespace hai::hwcheck
