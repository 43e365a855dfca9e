#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hwcheck/context.h"

namespace hai::hwcheck::host {

// The families RunHostChecks is made of, one file each. All r1, category "host".
void AddCpuMemoryChecks(const CheckContext& ctx, Findings* out);  // cpu_memory_checks.cc
void AddEdacChecks(const CheckContext& ctx, Findings* out);       // edac_checks.cc
void AddDiskChecks(const CheckContext& ctx, Findings* out);       // disk_checks.cc
void AddKernelChecks(const CheckContext& ctx, Findings* out);     // kernel_checks.cc
void AddNtpChecks(const CheckContext& ctx, Findings* out);        // ntp_checks.cc
void AddDmiAssets(const CheckContext& ctx, Findings* out);        // dmi_assets.cc

inline constexpr const char* kHostCategory = "host";
inline constexpr const char* kNoBaseline = "recorded (no baseline)";

// The number `id` had in the baseline report, when there is one. Reads the
// loaded items directly (Baseline is a plain aggregate).
std::optional<double> BaselineNumber(const CheckContext& ctx, std::string_view id);

// "12.5" / "3": a number as short as it can be printed at `precision`.
std::string FormatNumber(double value, int precision = 2);

// Saves what a file-based check read as evidence; adds its name to `item`.
void KeepEvidence(const CheckContext& ctx, const std::string& label, const std::string& text,
                  CheckItem* item);

// A measured, numeric PASS item with the number set.
CheckItem NumberPass(std::string id, std::string threshold, std::string value, double number);

}  // namespace hai::hwcheck::host
