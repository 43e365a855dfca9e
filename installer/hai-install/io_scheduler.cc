#include "installer/hai-install/io_scheduler.h"

#include <algorithm>

#include "installer/hai-install/kernel_value.h"

namespace hai::install {

std::string DiskKind(const std::string& name, const std::string& rotational) {
  // nvme0n1, not the controller paths of multipath (nvme0c0n1).
  if (name.rfind("nvme", 0) == 0)
    return name.find('n', 4) != std::string::npos && name.find('c', 4) == std::string::npos ? "nvme"
                                                                                            : "";
  if (name.rfind("sd", 0) == 0 || name.rfind("vd", 0) == 0) {
    std::string r = KernelValue::Normalise(rotational, KernelValue::Reading::kPlain);
    return r == "1" ? "hdd" : r == "0" ? "ssd" : "";
  }
  return "";
}

IoScheduler::IoScheduler(SchedulerChoice choice, std::string step)
    : choice_(std::move(choice)), step_(std::move(step)) {}

std::string IoScheduler::Describe() const {
  return "udevadm trigger --subsystem-match=block --action=change (NVMe " + choice_.nvme +
         ", SSD " + choice_.ssd + ", HDD " + choice_.hdd + ")";
}

std::vector<IoScheduler::Disk> IoScheduler::Disks(const RunContext& ctx) const {
  std::vector<Disk> disks;
  auto names = ctx.system->ListLive("/sys/block");
  if (!names.ok()) return disks;
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    std::string base = "/sys/block/" + name + "/queue/";
    auto rotational = ctx.system->ReadLive(base + "rotational");
    std::string kind = DiskKind(name, rotational.ok() ? *rotational : "");
    if (kind.empty()) continue;
    auto scheduler = ctx.system->ReadLive(base + "scheduler");
    if (!scheduler.ok()) continue;
    Disk d;
    d.name = name;
    d.want = kind == "nvme" ? choice_.nvme : kind == "ssd" ? choice_.ssd : choice_.hdd;
    d.offered = KernelValue::Normalise(*scheduler, KernelValue::Reading::kPlain);
    d.selected = KernelValue::Normalise(*scheduler, KernelValue::Reading::kSelected);
    disks.push_back(d);
  }
  return disks;
}

Result<bool> IoScheduler::InPlace(const RunContext& ctx) {
  if (ctx.StepChanged(step_)) return false;
  // A container sees the host's disks, which its udev does not manage.
  if (ctx.in_container) return true;
  for (const Disk& d : Disks(ctx))
    if (d.selected != d.want) return false;
  return true;
}

Status IoScheduler::Trigger(const RunContext& ctx) const {
  HAI_RETURN_IF_ERROR(
      RunChecked(*ctx.system, {"udevadm", "trigger", "--subsystem-match=block", "--action=change"})
          .status());
  return RunChecked(*ctx.system, {"udevadm", "settle"}).status();
}

Status IoScheduler::Apply(const RunContext& ctx) {
  std::vector<Disk> before = Disks(ctx);
  HAI_RETURN_IF_ERROR(Trigger(ctx));
  old_ = std::move(before);
  return Status::Ok();
}

// Removing a rule does not change a disk back: each gets its old scheduler.
Status IoScheduler::Undo(const RunContext& ctx) {
  Status first;
  for (const Disk& d : old_) {
    Status st = ctx.system->WriteLive("/sys/block/" + d.name + "/queue/scheduler", d.selected);
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

void IoScheduler::Verify(const RunContext& ctx, Checks* checks) {
  if (!ctx.live) {
    checks->push_back(SkippedCheck(
        "iosched", "NVMe " + choice_.nvme + ", SSD " + choice_.ssd + ", HDD " + choice_.hdd,
        "--root"));
    return;
  }
  for (const Disk& d : Disks(ctx)) {
    Check c = LiveCheck("iosched:" + d.name, d.want, d.selected, ctx.in_container);
    bool offered = (" " + d.offered + " ").find(" " + d.want + " ") != std::string::npos ||
                   d.offered.find("[" + d.want + "]") != std::string::npos;
    if (c.status == CheckStatus::kFail && !offered)
      c.detail = "the kernel offers only: " + d.offered;
    checks->push_back(c);
  }
}

}  // namespace hai::install
