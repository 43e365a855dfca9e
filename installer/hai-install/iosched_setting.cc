// Step "iosched": a udev rule that gives each disk the profile's I/O
// scheduler by device type, applied to the disks present with a trigger.
#include <memory>

#include "installer/hai-install/io_scheduler.h"
#include "installer/hai-install/settings.h"

namespace hai::install {

Result<Step> PlanIoScheduler(const PlanInput& in) {
  const TuningProfile& t = in.tuning;
  Step step;
  step.id = "iosched";
  step.description = "I/O scheduler by device type: NVMe " + t.sched_nvme + ", SSD " + t.sched_ssd +
                     ", HDD " + t.sched_hdd;
  const std::string match =
      "ACTION==\"add|change\", SUBSYSTEM==\"block\", ENV{DEVTYPE}==\"disk\", ";
  std::string text = GeneratedHeader(in);
  text += "# NVMe queues are deep and the drive schedules itself.\n";
  text += match + "KERNEL==\"nvme[0-9]*n[0-9]*\", ATTR{queue/scheduler}=\"" + t.sched_nvme + "\"\n";
  text += "# SATA/SAS and virtio disks: solid state, then rotational.\n";
  text += match + "KERNEL==\"sd*|vd*\", ATTR{queue/rotational}==\"0\", ATTR{queue/scheduler}=\"" +
          t.sched_ssd + "\"\n";
  text += match + "KERNEL==\"sd*|vd*\", ATTR{queue/rotational}==\"1\", ATTR{queue/scheduler}=\"" +
          t.sched_hdd + "\"\n";
  step.files.push_back(FileSpec::File("/etc/udev/rules.d/60-hai-iosched.rules", text));
  step.actions.push_back(std::make_shared<IoScheduler>(
      SchedulerChoice{t.sched_nvme, t.sched_ssd, t.sched_hdd}, step.id));
  return step;
}

}  // namespace hai::install
