// NPU RoCE port health through hccn_tool (reference/appliance-hw.md §1.3, §8 r1 NPU NIC).
#include <algorithm>
#include <cstdio>
#include <map>

#include "hwcheck/ascend/hccn_counters.h"
#include "hwcheck/ascend/hccn_optical.h"
#include "hwcheck/ascend/hccn_port.h"
#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/nic_check_steps.h"
#include "hwcheck/ascend/npu_roster.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "npu_nic";

ToolRun Hccn(const CheckContext& ctx, int device, const char* command) {
  return ctx.tools->Run({ctx.hccn_tool, "-i", std::to_string(device), command, "-g"},
                        kHccnToolTimeout);
}

std::string Port(int device) { return "NPU " + std::to_string(device) + " port"; }

void AddLink(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.link." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-link");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  Result<std::string> link = ParseHccnLink(run.text());
  CheckItem item;
  if (!link.ok()) {
    item = Fail(id, Level::kR1, kCategory, "== UP", "", link.status().message());
  } else {
    std::string value = *link;
    ToolRun ip_run = Hccn(ctx, d, "-ip");  // the address makes the value useful on site
    if (Result<HccnIp> ip = ParseHccnIp(ip_run.text()); ip_run.ok() && ip.ok())
      value += " (" + ip->address + (ip->netmask.empty() ? "" : "/" + ip->netmask) + ")";
    item = *link == "UP" ? Pass(id, Level::kR1, kCategory, "== UP", value)
                         : Fail(id, Level::kR1, kCategory, "== UP", value,
                                Port(d) + " link is " + *link + ".");
    AddEvidence(&item, ip_run);
  }
  out->Add(WithEvidence(std::move(item), run));
}

void AddSpeed(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.speed." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-speed");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  int64_t want = ctx.profile->npu_nic_speed_mbps;
  std::string threshold = "== " + std::to_string(want) + " Mb/s";
  Result<std::optional<int64_t>> speed = ParseHccnSpeed(run.text());
  CheckItem item;
  if (!speed.ok())
    item = Fail(id, Level::kR1, kCategory, threshold, "", speed.status().message());
  else if (!speed->has_value())
    item = Fail(id, Level::kR1, kCategory, threshold, "Unknown!",
                Port(d) + " speed is Unknown! (the link is down).");
  else {
    std::string value = std::to_string(**speed) + " Mb/s";
    item = **speed == want
               ? Pass(id, Level::kR1, kCategory, threshold, value)
               : Fail(id, Level::kR1, kCategory, threshold, value,
                      Port(d) + " runs at " + value + ", expected " + threshold.substr(3) + ".");
    item.number = static_cast<double>(**speed);
  }
  out->Add(WithEvidence(std::move(item), run));
}

void AddNetHealth(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.net_health." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-net_health");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  const char* threshold = "Success or Init";
  Result<std::string> health = ParseHccnNetHealth(run.text());
  CheckItem item =
      !health.ok() ? Fail(id, Level::kR1, kCategory, threshold, "", health.status().message())
      : NetHealthOk(*health)
          ? Pass(id, Level::kR1, kCategory, threshold, *health)
          : Fail(id, Level::kR1, kCategory, threshold, *health,
                 Port(d) + " net health is " + *health + " (its detect address is not reached).");
  out->Add(WithEvidence(std::move(item), run));
}

void AddFec(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.fec." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-fec");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  Result<std::string> fec = ParseHccnFec(run.text());
  CheckItem item;
  if (!fec.ok())
    item = Fail(id, Level::kR1, kCategory, "== rs", "", fec.status().message());
  else if (*fec == "rs")
    item = Pass(id, Level::kR1, kCategory, "== rs", "rs");
  else if (*fec == "no")
    item = Fail(id, Level::kR1, kCategory, "== rs", "no", Port(d) + " runs without FEC.");
  else
    item = Warn(id, Level::kR1, kCategory, "== rs", *fec,
                Port(d) + " FEC mode is " + *fec + ", not rs.");
  out->Add(WithEvidence(std::move(item), run));
}

void AddOptical(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.optical." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-optical");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  const char* threshold = "present, Tx/Rx power within module thresholds, LoS/LoL 0x0";
  Result<OpticalInfo> info = ParseHccnOptical(run.text());
  CheckItem item;
  if (!info.ok()) {
    item = Fail(id, Level::kR1, kCategory, threshold, "", info.status().message());
  } else {
    std::vector<std::string> problems = OpticalProblems(*info);
    std::string value = info->present ? "present" : "absent";
    if (!info->rx_power_mw.empty()) {
      double low = info->rx_power_mw.front();
      for (double v : info->rx_power_mw) low = std::min(low, v);
      value += ", lowest Rx " + FormatNumber(low, 4) + " mW";
    }
    std::string reason;
    for (const std::string& p : problems) reason += (reason.empty() ? "" : "; ") + p;
    item = problems.empty() ? Pass(id, Level::kR1, kCategory, threshold, value)
                            : Fail(id, Level::kR1, kCategory, threshold, value,
                                   Port(d) + " optics: " + reason + ".");
  }
  out->Add(WithEvidence(std::move(item), run));
}

// BER (correcting_bit_rate) and uncorrectable codewords from -stat_extra.
void AddCodewords(const CheckContext& ctx, int d, Findings* out) {
  std::string n = std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-stat_extra");
  if (!run.ok()) {
    out->Add(ToolProblem("npu_nic.ber." + n, Level::kR1, kCategory, run));
    out->Add(ToolProblem("npu_nic.cw_uncorrect." + n, Level::kR1, kCategory, run));
    return;
  }
  HccnCounters c = ParseHccnCounters(run.text());
  auto missing = [&](const std::string& id, const char* key) {
    out->Add(WithEvidence(Fail(id, Level::kR1, kCategory, "", "",
                               std::string("hccn_tool -stat_extra printed no ") + key + "."),
                          run));
  };
  if (auto ber = c.find("correcting_bit_rate"); ber == c.end()) {
    missing("npu_nic.ber." + n, "correcting_bit_rate");
  } else {
    // No absolute BER limit is recorded (reference §8 trends it); a rate
    // more than ten times the baseline's is worth a look.
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.2e", ber->second);
    std::optional<double> base = BaselineNumber(ctx, "npu_nic.ber." + n);
    CheckItem item;
    if (!base) {
      item = Pass("npu_nic.ber." + n, Level::kR1, kCategory, "recorded (no baseline)", shown);
    } else {
      char limit[48];
      std::snprintf(limit, sizeof limit, "<= 10 x baseline %.2e", *base);
      item = ber->second <= 10 * *base || ber->second == 0
                 ? Pass("npu_nic.ber." + n, Level::kR1, kCategory, limit, shown)
                 : Warn("npu_nic.ber." + n, Level::kR1, kCategory, limit, shown,
                        Port(d) + " bit error rate " + shown + " is over ten times the baseline.");
    }
    item.number = ber->second;
    out->Add(WithEvidence(std::move(item), run));
  }
  if (auto cw = c.find("cw_uncorrect_cnt"); cw == c.end()) {
    missing("npu_nic.cw_uncorrect." + n, "cw_uncorrect_cnt");
  } else {
    std::string value = FormatNumber(cw->second, 0);
    CheckItem item = cw->second == 0
                         ? Pass("npu_nic.cw_uncorrect." + n, Level::kR1, kCategory, "== 0", value)
                         : Fail("npu_nic.cw_uncorrect." + n, Level::kR1, kCategory, "== 0", value,
                                Port(d) + " has " + value + " uncorrectable FEC codewords.");
    item.number = cw->second;
    out->Add(WithEvidence(std::move(item), run));
  }
}

void AddLinkFlaps(const CheckContext& ctx, int d, Findings* out) {
  std::string id = "npu_nic.link_flaps." + std::to_string(d);
  ToolRun run = Hccn(ctx, d, "-link_stat");
  if (!run.ok()) return out->Add(ToolProblem(id, Level::kR1, kCategory, run));
  Result<LinkStat> stat = ParseHccnLinkStat(run.text());
  if (!stat.ok())
    return out->Add(
        WithEvidence(Fail(id, Level::kR1, kCategory, "", "", stat.status().message()), run));
  CheckItem item = JudgeNotGrown(ctx, id, Level::kR1, kCategory, stat->link_up_count,
                                 "link-up events", Port(d) + " link-up count");
  item.value += " (" + std::to_string(stat->down_records) + " LINK DOWN records)";
  out->Add(WithEvidence(std::move(item), run));
}

}  // namespace

TlsReading AddNicPortChecks(const CheckContext& ctx, int device, Findings* out) {
  AddLink(ctx, device, out);
  AddSpeed(ctx, device, out);
  AddNetHealth(ctx, device, out);
  AddFec(ctx, device, out);
  AddOptical(ctx, device, out);
  AddCodewords(ctx, device, out);
  AddLinkFlaps(ctx, device, out);

  TlsReading tls;
  tls.device = device;
  ToolRun run = Hccn(ctx, device, "-tls");
  tls.evidence = run.evidence;
  tls.missing = run.missing;
  if (!run.ok()) {
    tls.problem = run.problem;
  } else if (Result<std::string> state = ParseHccnTls(run.text()); state.ok()) {
    tls.state = *state;
  } else {
    tls.problem = state.status().message();
  }
  return tls;
}

void AddTlsCheck(const std::vector<TlsReading>& readings, Findings* out) {
  const char* threshold = "identical on every NPU port";
  std::vector<std::string> evidence;
  std::map<std::string, std::vector<int>> by_state;
  const TlsReading* unread = nullptr;
  for (const TlsReading& r : readings) {
    if (!r.evidence.empty()) evidence.push_back(r.evidence);
    if (r.state.empty()) {
      if (!unread) unread = &r;
    } else {
      by_state[r.state].push_back(r.device);
    }
  }
  CheckItem item;
  if (readings.empty()) {
    item = Skip("npu_nic.tls", Level::kR1, kCategory, "No NPU port to read.");
  } else if (unread && unread->missing) {
    item = Skip("npu_nic.tls", Level::kR1, kCategory, unread->problem);
  } else if (unread) {
    item = Fail(
        "npu_nic.tls", Level::kR1, kCategory, threshold, "",
        "TLS state of NPU " + std::to_string(unread->device) + " unreadable: " + unread->problem);
  } else if (by_state.size() == 1) {
    item = Pass("npu_nic.tls", Level::kR1, kCategory, threshold, by_state.begin()->first);
    out->facts.emplace_back("npu_nic.tls", by_state.begin()->first);
  } else {
    std::string value;
    for (const auto& [state, devices] : by_state) {
      value += (value.empty() ? "" : "; ") + state + " on NPU";
      for (size_t i = 0; i < devices.size(); ++i)
        value += (i ? "," : " ") + std::to_string(devices[i]);
    }
    item = Fail("npu_nic.tls", Level::kR1, kCategory, threshold, value,
                "TLS differs between NPU ports; a TLS-on and a TLS-off port cannot link.");
  }
  item.evidence = std::move(evidence);
  out->Add(std::move(item));
}

}  // namespace hai::hwcheck::ascend
