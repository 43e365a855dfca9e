#include <chrono>
#include <cmath>
#include <string>

#include "hwcheck/host/chrony_tracking.h"
#include "hwcheck/host/host_check_parts.h"

namespace hai::hwcheck::host {
namespace {

constexpr Level kR1 = Level::kR1;
constexpr std::chrono::seconds kChronycTimeout{10};

}  // namespace

// Clock sync through chrony (reference §5: Leap status Normal and |offset| <
// 1 ms across the nodes). -n: print addresses, no DNS lookups that could hang.
void AddNtpChecks(const CheckContext& ctx, Findings* out) {
  if (ctx.tools == nullptr) {
    out->Add(Skip("host.ntp.sync", kR1, kHostCategory, "no tool runner to run chronyc"));
    out->Add(Skip("host.ntp.offset", kR1, kHostCategory, "no tool runner to run chronyc"));
    return;
  }
  ToolRun run = ctx.tools->Run({"chronyc", "-n", "tracking"}, kChronycTimeout);
  auto with_evidence = [&run](CheckItem item) {
    item.evidence.push_back(run.evidence);
    return item;
  };
  if (run.missing) {
    out->Add(with_evidence(Skip("host.ntp.sync", kR1, kHostCategory, run.problem)));
    out->Add(with_evidence(Skip("host.ntp.offset", kR1, kHostCategory, run.problem)));
    return;
  }
  std::optional<ChronyTracking> tracking =
      run.ok() ? ParseChronyTracking(run.text()) : std::nullopt;
  if (!tracking) {
    // chronyd not running answers "506 Cannot talk to daemon": the clock is not disciplined.
    std::string why = run.ok() ? "chronyc tracking printed no Leap status" : run.problem;
    out->Add(
        with_evidence(Fail("host.ntp.sync", kR1, kHostCategory, "Leap status Normal", "", why)));
    out->Add(
        with_evidence(Skip("host.ntp.offset", kR1, kHostCategory, "no tracking data: " + why)));
    return;
  }
  const bool synced = tracking->leap_status == "Normal";
  out->Add(with_evidence(
      synced ? Pass("host.ntp.sync", kR1, kHostCategory, "Leap status Normal", "Normal")
             : Fail("host.ntp.sync", kR1, kHostCategory, "Leap status Normal",
                    tracking->leap_status, "chrony is not synchronised to a time source")));
  if (!synced) {
    out->Add(with_evidence(Skip("host.ntp.offset", kR1, kHostCategory,
                                "clock not synchronised: the offset has no reference")));
    return;
  }
  if (!tracking->system_offset_s) {
    out->Add(with_evidence(Fail("host.ntp.offset", kR1, kHostCategory, "", "",
                                "chronyc tracking printed no System time offset")));
    return;
  }
  const double offset_ms = *tracking->system_offset_s * 1000.0;
  const double limit_ms = ctx.profile ? ctx.profile->ntp_max_offset_ms : 1.0;
  std::string threshold = "|offset| <= " + FormatNumber(limit_ms, 3) + " ms";
  std::string value = FormatNumber(offset_ms, 3) + " ms";
  CheckItem item = std::fabs(offset_ms) <= limit_ms
                       ? Pass("host.ntp.offset", kR1, kHostCategory, threshold, value)
                       : Fail("host.ntp.offset", kR1, kHostCategory, threshold, value,
                              "system clock is " + FormatNumber(std::fabs(offset_ms), 3) + " ms " +
                                  (offset_ms > 0 ? "fast" : "slow") + " of NTP time");
  item.number = offset_ms;
  out->Add(with_evidence(std::move(item)));
}

}  // namespace hai::hwcheck::host
