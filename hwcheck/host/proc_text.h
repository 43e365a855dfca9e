#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hai::hwcheck::host {

// Parsers for the kernel's pseudo files the host checks read. Pure functions
// over text, so they are tested on recorded files.

// /proc/cpuinfo: one block per logical CPU ("processor\t: N"). The model is
// x86's "model name", else arm64's "CPU implementer"/"CPU part" pair (Kunpeng
// prints no model name), else "".
struct CpuInfo {
  int logical_cpus = 0;
  std::string model;
};
CpuInfo ParseCpuInfo(std::string_view text);

// /proc/meminfo "MemTotal:  263741312 kB" in MiB; nullopt when absent.
std::optional<int64_t> ParseMemTotalMib(std::string_view text);

// The selected value of a sysfs choice file ("always [madvise] never" →
// "madvise"); "" when nothing is bracketed.
std::string SelectedChoice(std::string_view text);

// A whole small file (sysfs value, /proc entry), or nullopt when unreadable.
std::optional<std::string> ReadSmallFile(const std::string& path);

// Text without surrounding whitespace; runs of blanks inside are kept.
std::string Trimmed(std::string_view text);

}  // namespace hai::hwcheck::host
