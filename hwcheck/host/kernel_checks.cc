#include <string>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/proc_text.h"

namespace hai::hwcheck::host {
namespace {

constexpr Level kR1 = Level::kR1;

// The settings of profiles/tuning/ascend-inference.toml (the default tuning
// profile the installer applies) whose drift matters most for serving: a node
// that swaps model weights, runs out of map areas with large models, migrates
// NPU processes' pages, or drops gateway connections.
struct ExpectedSysctl {
  const char* name;  // dotted sysctl name
  const char* value;
};
constexpr ExpectedSysctl kSysctls[] = {
    {"vm.swappiness", "10"},
    {"vm.max_map_count", "1048576"},
    {"kernel.numa_balancing", "0"},
    {"net.core.somaxconn", "8192"},
};

std::string ProcPath(std::string name) {
  for (char& c : name)
    if (c == '.') c = '/';
  return "/proc/sys/" + name;
}

std::string IdSuffix(std::string name) {
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

// Tuning drift makes a node slower or less stable, not broken: a WARN.
void AddSysctl(const CheckContext& ctx, const ExpectedSysctl& s, Findings* out) {
  const std::string id = "host.kernel." + IdSuffix(s.name);
  std::optional<std::string> text = ReadSmallFile(ctx.Path(ProcPath(s.name)));
  if (!text) {
    out->Add(Skip(id, kR1, kHostCategory, std::string(s.name) + " does not exist on this kernel"));
    return;
  }
  std::string value = Trimmed(*text);
  std::string threshold = std::string("== ") + s.value;
  CheckItem item =
      value == s.value
          ? Pass(id, kR1, kHostCategory, threshold, value)
          : Warn(id, kR1, kHostCategory, threshold, value,
                 std::string(s.name) + " differs from the tuning profile (not applied?)");
  KeepEvidence(ctx, ProcPath(s.name), *text, &item);
  out->Add(std::move(item));
}

void AddThp(const CheckContext& ctx, Findings* out) {
  const std::string expected = ctx.profile ? ctx.profile->thp : "madvise";
  std::optional<std::string> text =
      ReadSmallFile(ctx.Path("/sys/kernel/mm/transparent_hugepage/enabled"));
  if (!text) {
    out->Add(
        Skip("host.kernel.thp", kR1, kHostCategory, "this kernel has no transparent huge pages"));
    return;
  }
  std::string selected = SelectedChoice(*text);
  std::string threshold = "== " + expected;
  // The Ascend driver sets madvise and expects it (reference §0.6).
  CheckItem item = selected == expected
                       ? Pass("host.kernel.thp", kR1, kHostCategory, threshold, selected)
                       : Warn("host.kernel.thp", kR1, kHostCategory, threshold, selected,
                              "transparent huge pages are '" + selected +
                                  "', the profile expects '" + expected + "'");
  KeepEvidence(ctx, "transparent_hugepage-enabled", *text, &item);
  out->Add(std::move(item));
}

}  // namespace

void AddKernelChecks(const CheckContext& ctx, Findings* out) {
  if (std::optional<std::string> release = ReadSmallFile(ctx.Path("/proc/sys/kernel/osrelease")))
    out->facts.emplace_back("host.kernel", Trimmed(*release));
  AddThp(ctx, out);
  for (const ExpectedSysctl& s : kSysctls) AddSysctl(ctx, s, out);
}

}  // namespace hai::hwcheck::host
