#include <cmath>
#include <string>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/proc_text.h"

namespace hai::hwcheck::host {
namespace {

constexpr Level kR1 = Level::kR1;

void AddCpu(const CheckContext& ctx, Findings* out) {
  std::optional<std::string> text = ReadSmallFile(ctx.Path("/proc/cpuinfo"));
  if (!text) {
    out->Add(Skip("host.cpu.cores", kR1, kHostCategory, "cannot read /proc/cpuinfo"));
    out->Add(Skip("host.cpu.model", kR1, kHostCategory, "cannot read /proc/cpuinfo"));
    return;
  }
  CpuInfo cpu = ParseCpuInfo(*text);
  const int expected = ctx.profile ? ctx.profile->host_cpu_cores : 0;
  std::string value = std::to_string(cpu.logical_cpus) + " logical CPUs";
  CheckItem cores;
  if (expected <= 0) {
    cores = NumberPass("host.cpu.cores", kNoBaseline, value, cpu.logical_cpus);
  } else {
    std::string threshold = "== " + std::to_string(expected) + " logical CPUs";
    if (cpu.logical_cpus == expected) {
      cores = Pass("host.cpu.cores", kR1, kHostCategory, threshold, value);
    } else if (cpu.logical_cpus < expected) {
      // Fewer than rated: a socket, core or SMT is offline or disabled in firmware.
      cores = Fail("host.cpu.cores", kR1, kHostCategory, threshold, value,
                   "fewer logical CPUs than the profile's cpu_cores (offline or disabled)");
    } else {
      cores = Warn("host.cpu.cores", kR1, kHostCategory, threshold, value,
                   "more logical CPUs than the profile's cpu_cores (wrong profile?)");
    }
    cores.number = cpu.logical_cpus;
  }
  KeepEvidence(ctx, "proc-cpuinfo", *text, &cores);
  out->Add(std::move(cores));

  if (cpu.model.empty()) {
    out->Add(Skip("host.cpu.model", kR1, kHostCategory, "/proc/cpuinfo names no CPU model"));
  } else {
    out->Add(Pass("host.cpu.model", kR1, kHostCategory, "", cpu.model));
  }
}

void AddMemory(const CheckContext& ctx, Findings* out) {
  std::optional<std::string> text = ReadSmallFile(ctx.Path("/proc/meminfo"));
  std::optional<int64_t> mib = text ? ParseMemTotalMib(*text) : std::nullopt;
  if (!mib) {
    out->Add(Skip("host.memory.total", kR1, kHostCategory, "no MemTotal in /proc/meminfo"));
    return;
  }
  std::string value = std::to_string(*mib) + " MiB";
  const int64_t rated = ctx.profile ? ctx.profile->host_memory_mib : 0;
  if (rated <= 0) {
    CheckItem item = NumberPass("host.memory.total", kNoBaseline, value, static_cast<double>(*mib));
    KeepEvidence(ctx, "proc-meminfo", *text, &item);
    out->Add(std::move(item));
    return;
  }
  // The kernel keeps some memory for itself (crash kernel, firmware tables),
  // so MemTotal is always a little below the installed size.
  const double fraction = ctx.profile->host_memory_min_fraction;
  const auto floor = static_cast<int64_t>(std::floor(fraction * static_cast<double>(rated)));
  std::string threshold = ">= " + std::to_string(floor) + " MiB (" + FormatNumber(fraction) +
                          " x " + std::to_string(rated) + " MiB)";
  CheckItem item = *mib >= floor
                       ? Pass("host.memory.total", kR1, kHostCategory, threshold, value)
                       : Fail("host.memory.total", kR1, kHostCategory, threshold, value,
                              "less memory than the profile's memory_mib (a DIMM missing or "
                              "disabled)");
  item.number = static_cast<double>(*mib);
  KeepEvidence(ctx, "proc-meminfo", *text, &item);
  out->Add(std::move(item));
}

}  // namespace

void AddCpuMemoryChecks(const CheckContext& ctx, Findings* out) {
  AddCpu(ctx, out);
  AddMemory(ctx, out);
}

}  // namespace hai::hwcheck::host
