// RunBmcChecks: one read of the BMC named by --bmc, over IPMI or Redfish,
// then the same rules for both. A BMC that cannot be read is one FAIL
// (bmc.reachable) and nothing else from this suite; the other suites run on.
#include <chrono>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/suites.h"

namespace hai::hwcheck {

namespace {

// Per request (Redfish) or per ipmitool command: a BMC's web server is slow
// but answers within seconds when it answers at all.
constexpr std::chrono::seconds kBmcTimeout{15};
// More evidence files than this (a Redfish tree): each item gets those it
// rests on; bmc.reachable gets them all.
constexpr size_t kEvidencePerItem = 8;

// A System resource itself ("redfish_v1_Systems_1.txt"), not one below it.
bool SystemResource(const std::string& file) {
  const std::string prefix = "redfish_v1_Systems_";
  return file.rfind(prefix, 0) == 0 && file.find('_', prefix.size()) == std::string::npos;
}

// The evidence files of a Redfish read (named after the resource paths)
// that an item rests on: a fan item on the Thermal answers, and so on.
std::vector<std::string> RelevantEvidence(const std::string& id,
                                          const std::vector<std::string>& files) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kWhere = {
      {"bmc.fan.", {"Thermal"}},         {"bmc.temperature.", {"Thermal", "Sensors"}},
      {"bmc.psu.", {"Power"}},           {"bmc.cpu.", {"Processors"}},
      {"bmc.npu.", {"Processors"}},      {"bmc.memory.", {"Memory"}},
      {"bmc.disk.", {"Storage"}},        {"bmc.redundancy", {"Thermal", "Power"}},
      {"bmc.sel_critical", {"Entries"}}, {"bmc.bios", {"Bios"}},
  };
  bool system = id == "bmc.system_health" || id == "bmc.bios";
  std::vector<std::string> out;
  for (const std::string& file : files) {
    bool match = system && SystemResource(file);
    for (const auto& [prefix, words] : kWhere) {
      if (id.rfind(prefix, 0) != 0) continue;
      for (const std::string& w : words) match = match || file.find(w) != std::string::npos;
    }
    if (match && out.size() < kEvidencePerItem) out.push_back(file);
  }
  return out;
}

}  // namespace

void RunBmcChecks(const CheckContext& ctx, Findings* out) {
  if (ctx.bmc_url.empty() || !ctx.AtLeast(Level::kR1)) return;
  auto parsed = bmc::ParseBmcUrl(ctx.bmc_url);
  if (!parsed.ok()) {
    out->Add(
        Fail("bmc.reachable", Level::kR1, "bmc", "login answered", "", parsed.status().message()));
    return;
  }
  bmc::BmcTarget target = std::move(*parsed);
  target.ca_file = ctx.bmc_ca_file;
  target.insecure = ctx.bmc_insecure;

  EvidenceStore scratch("");
  EvidenceStore& evidence = ctx.tools ? ctx.tools->evidence() : scratch;
  size_t saved_before = evidence.saved().size();
  Result<bmc::BmcSnapshot> snapshot = Status::Internal("not read");
  if (target.scheme == "ipmi") {
    if (!ctx.tools) {
      out->Add(Fail("bmc.reachable", Level::kR1, "bmc", "login answered", "",
                    "no tool runner for ipmitool"));
      return;
    }
    snapshot = bmc::ReadIpmiBmc(target, *ctx.tools, kBmcTimeout);
  } else {
    snapshot = bmc::ReadRedfishBmc(target, evidence, kBmcTimeout);
  }
  std::vector<std::string> files(evidence.saved().begin() + saved_before, evidence.saved().end());
  // ipmitool not installed: nothing was asked of the BMC, so nothing can be
  // said of it (a SKIP naming the tool, never a verdict on the server).
  if (!snapshot.ok() && snapshot.status().code() == Code::kNotFound) {
    out->Add(Skip("bmc.reachable", Level::kR1, "bmc", snapshot.status().message()));
    return;
  }

  CheckItem reachable =
      snapshot.ok() ? Pass("bmc.reachable", Level::kR1, "bmc", "login answered",
                           target.scheme + " " + target.Endpoint())
                    : Fail("bmc.reachable", Level::kR1, "bmc", "login answered",
                           target.scheme + " " + target.Endpoint(), snapshot.status().message());
  reachable.evidence = files;
  out->Add(std::move(reachable));
  if (!snapshot.ok()) return;

  size_t first = out->items.size();
  bmc::JudgeBmc(*snapshot, ctx, out);
  for (size_t i = first; i < out->items.size(); ++i) {
    CheckItem& item = out->items[i];
    item.evidence = files.size() <= kEvidencePerItem ? files : RelevantEvidence(item.id, files);
  }
}

}  // namespace hai::hwcheck
