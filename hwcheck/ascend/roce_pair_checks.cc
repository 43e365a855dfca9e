// r4: per NPU pair RoCE bandwidth with the on-NPU perftest and the error
// counters around it (reference/appliance-hw.md §1.3 -roce_test, §8 r4).
// For each peer with NPU addresses and each local device d, the peer starts
// the server side on its device d (StartPeerRoceServer), then this node runs
//   hccn_tool -i d -roce_test ib_write_bw -s 1048576 -D <sec> -report_gbits address <peer ip>
// one pair at a time. -stat and -stat_extra are read before the first and
// after the last pair; every roce_*err* counter and cw_uncorrect_cnt must stay.
#include <map>

#include "hwcheck/ascend/hccn_counters.h"
#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/nic_check_steps.h"
#include "hwcheck/ascend/npu_roster.h"
#include "hwcheck/ascend/perftest_result.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "bandwidth";

struct Counters {
  HccnCounters values;
  std::vector<std::string> evidence;
  std::string problem;  // "" when both reads worked
};

Counters ReadCounters(const CheckContext& ctx, int device) {
  Counters c;
  for (const char* command : {"-stat", "-stat_extra"}) {
    ToolRun run = ctx.tools->Run({ctx.hccn_tool, "-i", std::to_string(device), command, "-g"},
                                 kHccnToolTimeout);
    if (!run.evidence.empty()) c.evidence.push_back(run.evidence);
    if (!run.ok()) {
      if (c.problem.empty()) c.problem = run.problem;
      continue;
    }
    for (const auto& [name, value] : ParseHccnCounters(run.text())) c.values[name] = value;
  }
  return c;
}

CheckItem PairTest(const CheckContext& ctx, const Peer& peer, int device,
                   const RoceServerStarter& start_server) {
  std::string id = "roce.pair." + std::to_string(device) + "." + IdPart(peer.name);
  if (device >= static_cast<int>(peer.npu_addresses.size()) || peer.npu_addresses[device].empty())
    return Skip(id, Level::kR4, kCategory,
                "No RoCE address for NPU " + std::to_string(device) + " of peer " + peer.name +
                    " (--peer-npu-ips).");
  const int seconds = static_cast<int>(ctx.bandwidth_duration.count());
  Status started = start_server(peer, ctx.token_file, device, ctx.bandwidth_duration);
  if (!started.ok())
    return Fail(id, Level::kR4, kCategory, "", "",
                "Peer " + peer.name + " did not start the RoCE test server: " + started.message());
  ToolRun run = ctx.tools->Run(
      {ctx.hccn_tool, "-i", std::to_string(device), "-roce_test", "ib_write_bw", "-s", "1048576",
       "-D", std::to_string(seconds), "-report_gbits", "address", peer.npu_addresses[device]},
      ctx.bandwidth_duration + std::chrono::seconds(60));
  if (!run.ok()) return ToolProblem(id, Level::kR4, kCategory, run);
  Result<PerftestBandwidth> bw = ParsePerftestBandwidth(run.text());
  if (!bw.ok())
    return WithEvidence(Fail(id, Level::kR4, kCategory, "", "", bw.status().message()), run);
  CheckItem item = JudgeAtLeast(ctx, id, Level::kR4, kCategory, bw->average_gbps, "Gb/s",
                                {ctx.profile->roce_min_gbps, 0}, "RoCE bandwidth to " + peer.name);
  item.value += " (RoCE ib_write_bw, NPU " + std::to_string(device) + " -> " +
                peer.npu_addresses[device] + ")";
  return WithEvidence(std::move(item), run);
}

CheckItem ErrorDelta(int device, const Counters& before, const Counters& after) {
  std::string id = "roce.errors." + std::to_string(device);
  const char* threshold = "no roce_*err* / cw_uncorrect_cnt increase";
  CheckItem item;
  if (!before.problem.empty() || !after.problem.empty()) {
    item = Fail(
        id, Level::kR4, kCategory, threshold, "",
        "Error counters unreadable: " + (before.problem.empty() ? after.problem : before.problem));
  } else {
    std::map<std::string, double> grown = ErrorCounterGrowth(before.values, after.values);
    double total = 0;
    std::string value;
    for (const auto& [name, delta] : grown) {
      total += delta;
      value += (value.empty() ? "" : ", ") + name + " +" + FormatNumber(delta, 0);
    }
    item = grown.empty() ? Pass(id, Level::kR4, kCategory, threshold, "no increase")
                         : Fail(id, Level::kR4, kCategory, threshold, value,
                                "Error counters of NPU " + std::to_string(device) +
                                    " grew during the RoCE tests.");
    item.number = total;
  }
  for (const Counters* c : {&before, &after})
    item.evidence.insert(item.evidence.end(), c->evidence.begin(), c->evidence.end());
  return item;
}

}  // namespace

void AddRocePairChecks(const CheckContext& ctx, const std::vector<int>& devices,
                       const RoceServerStarter& start_server, Findings* out) {
  bool any_address = false;
  for (const Peer& peer : ctx.peers) any_address = any_address || !peer.npu_addresses.empty();
  if (!any_address) {
    std::string reason = ctx.peers.empty() ? "No --peer given for the r4 RoCE pair test."
                                           : "No peer has NPU RoCE addresses (--peer-npu-ips).";
    out->Add(Skip("roce.pair", Level::kR4, kCategory, reason));
    out->Add(Skip("roce.errors", Level::kR4, kCategory, "No RoCE traffic was run."));
    return;
  }
  std::map<int, Counters> before;
  for (int d : devices) before[d] = ReadCounters(ctx, d);
  for (const Peer& peer : ctx.peers) {
    if (peer.npu_addresses.empty()) {
      out->Add(Skip("roce.pair." + IdPart(peer.name), Level::kR4, kCategory,
                    "No NPU RoCE addresses for peer " + peer.name + " (--peer-npu-ips)."));
      continue;
    }
    for (int d : devices) out->Add(PairTest(ctx, peer, d, start_server));
  }
  for (int d : devices) out->Add(ErrorDelta(d, before[d], ReadCounters(ctx, d)));
}

}  // namespace hai::hwcheck::ascend
