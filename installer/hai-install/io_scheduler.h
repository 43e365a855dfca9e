#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// Which I/O scheduler each kind of disk gets.
struct SchedulerChoice {
  std::string nvme;
  std::string ssd;  // SATA/SAS (and virtio) disks that are not rotational
  std::string hdd;  // rotational ones
};

// The device kind of a /sys/block entry: "nvme", "ssd", "hdd", or "" for
// what the rule leaves alone (loop, dm-, md, zram, optical drives).
std::string DiskKind(const std::string& name, const std::string& rotational);

// Applies the udev rule to the disks present (`udevadm trigger` for block
// devices); in place when the rule file is unchanged and every disk already
// runs its scheduler. Rollback writes each disk's old scheduler back.
// --verify checks each disk.
class IoScheduler : public LiveAction {
 public:
  IoScheduler(SchedulerChoice choice, std::string step);

  std::string Describe() const override;
  bool Kernel() const override { return true; }
  bool UndoAfterFiles() const override { return true; }
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  struct Disk {
    std::string name;
    std::string want;
    std::string selected;  // from queue/scheduler
    std::string offered;   // the whole list
  };
  std::vector<Disk> Disks(const RunContext& ctx) const;
  Status Trigger(const RunContext& ctx) const;

  SchedulerChoice choice_;
  std::string step_;
  std::vector<Disk> old_;  // before a successful Apply
};

}  // namespace hai::install
