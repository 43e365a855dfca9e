// versions.driver/firmware/toolkit/compatible (reference/appliance-hw.md §1.2, §8 r1 versions).
// Consistency across nodes is the cluster summary's job (facts); here each
// version is read and recorded, and the firmware is checked against the
// driver's compatible_version_fw.
#include <fstream>
#include <optional>
#include <sstream>

#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/npu_check_steps.h"
#include "hwcheck/ascend/version_info.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "versions";

struct VersionFile {
  std::string path;  // as on the node (without ctx.root)
  std::optional<VersionInfo> info;
  std::string evidence;
};

VersionFile ReadFirst(const CheckContext& ctx, const std::vector<std::string>& candidates) {
  VersionFile file;
  file.path = candidates.front();
  for (const std::string& path : candidates) {
    std::ifstream in(ctx.Path(path), std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    file.path = path;
    file.info = ParseVersionInfo(text.str());
    file.evidence = ctx.tools->evidence().Save(path, "# " + path + "\n" + text.str());
    break;
  }
  return file;
}

// versions.<what>: the version, recorded as an item and a fact.
void AddVersion(const std::string& what, const VersionFile& file, Findings* out) {
  std::string id = "versions." + what;
  CheckItem item;
  if (!file.info) {
    item = Skip(id, Level::kR1, kCategory, file.path + " not found");
  } else if (file.info->Version().empty()) {
    item = Fail(id, Level::kR1, kCategory, "", "", file.path + " has no Version= line.");
  } else {
    item = Pass(id, Level::kR1, kCategory, "recorded; same on every node (cluster summary)",
                file.info->Version());
    out->facts.emplace_back(id, file.info->Version());
  }
  if (!file.evidence.empty()) item.evidence.push_back(file.evidence);
  out->Add(std::move(item));
}

void AddCompatible(const VersionFile& driver, const VersionFile& firmware, Findings* out) {
  const char* id = "versions.compatible";
  if (!driver.info || !firmware.info || firmware.info->Version().empty())
    return out->Add(Skip(id, Level::kR1, kCategory,
                         "Driver or firmware version.info missing, nothing to compare."));
  std::string range = driver.info->CompatibleFirmware();
  std::string fw = firmware.info->Version();
  CheckItem item;
  if (range.empty()) {
    item = Skip(id, Level::kR1, kCategory, driver.path + " has no compatible_version_fw line.");
  } else {
    std::string threshold = "firmware in " + range;
    Result<bool> ok = FirmwareCompatible(fw, range);
    if (!ok.ok())
      item = Warn(id, Level::kR1, kCategory, threshold, fw,
                  "compatible_version_fw unreadable: " + ok.status().message());
    else if (*ok)
      item = Pass(id, Level::kR1, kCategory, threshold, fw);
    else
      item =
          Fail(id, Level::kR1, kCategory, threshold, fw,
               "Firmware " + fw + " is outside the driver's compatible_version_fw " + range + ".");
  }
  for (const VersionFile* f : {&driver, &firmware})
    if (!f->evidence.empty()) item.evidence.push_back(f->evidence);
  out->Add(std::move(item));
}

}  // namespace

void AddVersionChecks(const CheckContext& ctx, Findings* out) {
  const std::string& dir = ctx.ascend_dir;
  VersionFile driver = ReadFirst(ctx, {dir + "/driver/version.info"});
  VersionFile firmware = ReadFirst(ctx, {dir + "/firmware/version.info"});
  VersionFile toolkit =
      ReadFirst(ctx, {dir + "/ascend-toolkit/latest/aarch64-linux/ascend_toolkit_install.info",
                      dir + "/ascend-toolkit/latest/x86_64-linux/ascend_toolkit_install.info",
                      dir + "/ascend-toolkit/latest/ascend_toolkit_install.info"});
  AddVersion("driver", driver, out);
  AddVersion("firmware", firmware, out);
  AddVersion("toolkit", toolkit, out);
  AddCompatible(driver, firmware, out);
}

}  // namespace hai::hwcheck::ascend
