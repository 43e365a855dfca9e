#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::hwcheck {

// Levels modelled on DCGM's diagnostics (reference/appliance-hw.md §2.1):
// a run at level rN runs every check of r1..rN.
enum class Level { kR1 = 1, kR2 = 2, kR3 = 3, kR4 = 4 };
std::string_view LevelName(Level level);  // "r1".."r4"
std::optional<Level> ParseLevel(std::string_view name);

// The result of one check. Ordered by severity for "worst of": SKIP < PASS <
// WARN < FAIL (a skipped check never hides a failure, never makes one).
enum class Verdict { kSkip, kPass, kWarn, kFail };
std::string_view VerdictName(Verdict v);  // "SKIP", "PASS", "WARN", "FAIL"
std::optional<Verdict> ParseVerdict(std::string_view name);
Verdict Worst(Verdict a, Verdict b);

// One check's outcome: what was asked (threshold), what was found (value), and
// why it passed or not. `id` is stable across runs and nodes of the same
// hardware (the baseline comparison and the risk table key on it):
// "<category>.<check>[.<subject>]", lower case, e.g. "npu.health.3",
// "npu_nic.link.0", "host.smart.nvme0n1", "bmc.fan.FAN1".
struct CheckItem {
  std::string id;
  Level level = Level::kR1;
  Verdict status = Verdict::kSkip;
  std::string threshold;  // "== OK", ">= 62259 MiB", "" when the check has none
  std::string value;      // what was measured, with its unit; "" when nothing was
  std::string reason;     // one English sentence; required for WARN, FAIL and SKIP
  std::string category;   // "npu", "npu_nic", "host", "bmc", "fabric", "bandwidth", "versions"
  std::optional<double> number;        // the measured value as a number, when it is one
  std::vector<std::string> evidence;   // evidence file names (EvidenceStore), raw tool output
};

// A serial-numbered part for the asset ledger.
struct AssetRecord {
  std::string node;
  std::string kind;   // "system", "bios", "board", "bmc", "npu", "disk", "psu", "memory"
  std::string slot;   // "" for one-per-node parts; "0".."7" for NPUs; "sda", "PSU1", …
  std::string vendor;
  std::string model;
  std::string serial;
  std::string version;  // BIOS / firmware version
  std::string source;   // "npu-smi", "redfish", "ipmi", "dmi", "smartctl"
};

// What the checks of one run found. Facts are named values that are neither
// checks nor assets, compared across nodes and with a baseline
// ("versions.driver" → "24.1.rc2", "bmc.bios_vendor" → "Byosoft").
struct Findings {
  std::vector<CheckItem> items;
  std::vector<AssetRecord> assets;
  std::vector<std::pair<std::string, std::string>> facts;

  void Add(CheckItem item) { items.push_back(std::move(item)); }
};

// Constructors for the common shapes; `reason` may be empty for a PASS.
CheckItem Pass(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason = {});
CheckItem Warn(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason);
CheckItem Fail(std::string id, Level level, std::string category, std::string threshold,
               std::string value, std::string reason);
CheckItem Skip(std::string id, Level level, std::string category, std::string reason);

}  // namespace hai::hwcheck
