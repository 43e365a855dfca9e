#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/proc_text.h"
#include "hwcheck/host/smart_report.h"

namespace hai::hwcheck::host {
namespace {

constexpr Level kR1 = Level::kR1;
constexpr std::chrono::seconds kSmartTimeout{30};

// Block devices that are not disks: loop, RAM disks, device-mapper and md
// stacks, optical drives, network block devices.
bool IsPhysicalDisk(const std::string& name) {
  static constexpr const char* kVirtual[] = {"loop", "ram", "zram", "dm-",  "md",
                                             "sr",   "fd",  "nbd",  "nullb"};
  for (const char* prefix : kVirtual)
    if (name.starts_with(prefix)) return false;
  return true;
}

std::vector<std::string> ListDisks(const std::string& block_dir) {
  std::vector<std::string> disks;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(block_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (IsPhysicalDisk(name)) disks.push_back(name);
  }
  std::sort(disks.begin(), disks.end());
  return disks;
}

std::string FirstMessage(const SmartReport& r) {
  return r.messages.empty() ? "" : ": " + r.messages.front();
}

// Reallocated or pending sectors: 0 passes; more passes only while it does
// not grow against the baseline (reference §8, "0 or not increasing").
void AddSectorCount(const CheckContext& ctx, const std::string& id, const char* what, int64_t count,
                    const std::string& evidence, Findings* out) {
  std::string value = std::to_string(count) + " sectors";
  std::optional<double> before = BaselineNumber(ctx, id);
  CheckItem item;
  if (count == 0) {
    item = Pass(id, kR1, kHostCategory, "== 0, or not above the baseline", value);
  } else if (before && static_cast<double>(count) <= *before) {
    item = Pass(id, kR1, kHostCategory, "<= " + FormatNumber(*before, 0) + " (baseline)", value,
                std::string(what) + " sectors present but not increasing");
  } else {
    item = Warn(id, kR1, kHostCategory,
                before ? "<= " + FormatNumber(*before, 0) + " (baseline)" : "== 0", value,
                std::string(what) + " sectors on the disk: plan its replacement");
  }
  item.number = static_cast<double>(count);
  item.evidence.push_back(evidence);
  out->Add(std::move(item));
}

// Judges one disk's smartctl run. Returns false when smartctl is not installed.
bool CheckDisk(const CheckContext& ctx, const std::string& dev, Findings* out) {
  const std::string id = "host.smart." + dev;
  ToolRun run =
      ctx.tools->Run({"smartctl", "--json", "-H", "-A", "-i", "/dev/" + dev}, kSmartTimeout);
  if (!run.output.ok()) {
    CheckItem item = run.missing ? Skip(id, kR1, kHostCategory, run.problem)
                                 : Fail(id, kR1, kHostCategory, "PASSED", "", run.problem);
    item.evidence.push_back(run.evidence);
    out->Add(std::move(item));
    return !run.missing;
  }
  // smartctl's exit status is a bit mask; bits 2 and up still come with a
  // full report, so the JSON is judged rather than the exit code.
  const int exit_code = run.output->exit_code;
  Result<SmartReport> report = ParseSmartctlJson(run.text());
  CheckItem item;
  if (!report.ok()) {
    item = Fail(id, kR1, kHostCategory, "PASSED", "",
                run.problem.empty() ? report.status().message() : run.problem);
  } else if (exit_code & kSmartCommandLine) {
    item =
        Skip(id, kR1, kHostCategory, "SMART not applicable to /dev/" + dev + FirstMessage(*report));
  } else if (exit_code & kSmartOpenFailed) {
    item = Fail(id, kR1, kHostCategory, "PASSED", "",
                "smartctl could not read /dev/" + dev + FirstMessage(*report));
  } else if (!report->passed.has_value()) {
    item = Skip(id, kR1, kHostCategory, "/dev/" + dev + " reports no SMART overall status");
  } else if (!*report->passed || (exit_code & kSmartDiskFailing)) {
    item = Fail(id, kR1, kHostCategory, "PASSED", "FAILED",
                "SMART overall health FAILED: replace the disk");
  } else if (report->media_errors.value_or(0) > 0) {
    item = Warn(id, kR1, kHostCategory, "PASSED, 0 media errors",
                "PASSED, " + std::to_string(*report->media_errors) + " media errors",
                "the NVMe drive reports media errors: plan its replacement");
    item.number = static_cast<double>(*report->media_errors);
  } else {
    item = Pass(id, kR1, kHostCategory, "PASSED", "PASSED");
  }
  item.evidence.push_back(run.evidence);
  out->Add(std::move(item));
  if (!report.ok()) return true;

  if (report->reallocated)
    AddSectorCount(ctx, "host.smart_realloc." + dev, "reallocated", *report->reallocated,
                   run.evidence, out);
  if (report->pending)
    AddSectorCount(ctx, "host.smart_pending." + dev, "pending", *report->pending, run.evidence,
                   out);
  if (!report->serial.empty() || !report->model.empty()) {
    AssetRecord disk;
    disk.node = ctx.node;
    disk.kind = "disk";
    disk.slot = dev;
    // SCSI/SATA disks name their vendor in sysfs ("ATA" for SATA behind libata).
    disk.vendor =
        Trimmed(ReadSmallFile(ctx.Path("/sys/block/" + dev + "/device/vendor")).value_or(""));
    disk.model = report->model;
    disk.serial = report->serial;
    disk.version = report->firmware;
    disk.source = "smartctl";
    out->assets.push_back(std::move(disk));
  }
  return true;
}

}  // namespace

void AddDiskChecks(const CheckContext& ctx, Findings* out) {
  std::vector<std::string> disks = ListDisks(ctx.Path("/sys/block"));
  if (disks.empty()) {
    out->Add(Skip("host.smart", kR1, kHostCategory, "no disks under /sys/block"));
    return;
  }
  if (ctx.tools == nullptr) {
    out->Add(Skip("host.smart", kR1, kHostCategory, "no tool runner to run smartctl"));
    return;
  }
  bool smartctl_present = true;
  for (const std::string& dev : disks) {
    // Once smartctl turned out missing, the other disks are skipped without asking again.
    if (smartctl_present) {
      smartctl_present = CheckDisk(ctx, dev, out);
    } else {
      out->Add(Skip("host.smart." + dev, kR1, kHostCategory, "smartctl not found"));
    }
  }
}

}  // namespace hai::hwcheck::host
