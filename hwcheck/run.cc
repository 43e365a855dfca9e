#include "hwcheck/run.h"

namespace hai::hwcheck {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RunResult RunSuites(const CheckContext& ctx, const std::vector<Suite>& suites) {
  RunResult result;
  result.started_ms = NowMs();
  for (const Suite& suite : suites) {
    Findings found;
    const auto start = std::chrono::steady_clock::now();
    suite.run(ctx, &found);
    SuiteTiming timing;
    timing.name = suite.name;
    timing.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    for (CheckItem& item : found.items) {
      if (!ctx.AtLeast(item.level)) {
        ++result.dropped_above_level;
        continue;
      }
      ++timing.items;
      result.findings.Add(std::move(item));
    }
    for (AssetRecord& a : found.assets) {
      if (a.node.empty()) a.node = ctx.node;
      result.findings.assets.push_back(std::move(a));
    }
    for (auto& fact : found.facts) result.findings.facts.push_back(std::move(fact));
    result.timings.push_back(std::move(timing));
  }
  result.finished_ms = NowMs();
  return result;
}

Suite BmcNotGivenSuite() {
  return {"bmc", [](const CheckContext&, Findings* out) {
            out->Add(Skip("bmc.reachable", Level::kR1, "bmc", "no --bmc given"));
          }};
}

std::vector<Suite> SelectSuites(const CheckContext& ctx, const SuiteFunctions& fns) {
  std::vector<Suite> suites{{"host", fns.host}};
  const accel::Vendor vendor = ctx.profile ? ctx.profile->vendor : accel::Vendor::kCpu;
  if (vendor == accel::Vendor::kAscend) {
    suites.push_back({"npu", fns.npu});
    suites.push_back({"npu_nic", fns.npu_nic});
  } else if (vendor == accel::Vendor::kNvidia) {
    suites.push_back({"nvidia", fns.nvidia});
  } else if (vendor != accel::Vendor::kCpu) {
    // Said, not silently left out: the report must show the devices went unchecked.
    const std::string name(accel::VendorName(vendor));
    suites.push_back({"devices", [name](const CheckContext&, Findings* out) {
                        out->Add(Skip("devices." + name, Level::kR1, "devices",
                                      "hai-hwcheck has no checks for " + name + " devices"));
                      }});
  }
  suites.push_back(ctx.bmc_url.empty() ? BmcNotGivenSuite() : Suite{"bmc", fns.bmc});
  if (ctx.AtLeast(Level::kR4)) suites.push_back({"tcp", fns.tcp});
  return suites;
}

}  // namespace hai::hwcheck
