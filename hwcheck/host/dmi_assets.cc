#include <string>

#include "hwcheck/host/host_check_parts.h"
#include "hwcheck/host/proc_text.h"

namespace hai::hwcheck::host {
namespace {

// One SMBIOS string as the kernel exports it; "" when absent or unreadable
// (serials are root-only), or a vendor placeholder such as "To be filled by O.E.M.".
std::string DmiField(const CheckContext& ctx, const char* name) {
  std::string value =
      Trimmed(ReadSmallFile(ctx.Path(std::string("/sys/class/dmi/id/") + name)).value_or(""));
  if (value == "To be filled by O.E.M." || value == "Default string" || value == "Not Specified")
    return "";
  return value;
}

AssetRecord Asset(const CheckContext& ctx, const char* kind) {
  AssetRecord a;
  a.node = ctx.node;
  a.kind = kind;
  a.source = "dmi";
  return a;
}

}  // namespace

// The ledger's system, BIOS and board rows from SMBIOS via sysfs
// (/sys/class/dmi/id, Documentation/ABI/testing/sysfs-class-dmi-id). Nothing
// is added on machines without SMBIOS (some arm64 boards, containers).
void AddDmiAssets(const CheckContext& ctx, Findings* out) {
  AssetRecord system = Asset(ctx, "system");
  system.vendor = DmiField(ctx, "sys_vendor");
  system.model = DmiField(ctx, "product_name");
  system.serial = DmiField(ctx, "product_serial");
  AssetRecord bios = Asset(ctx, "bios");
  bios.vendor = DmiField(ctx, "bios_vendor");
  bios.version = DmiField(ctx, "bios_version");
  AssetRecord board = Asset(ctx, "board");
  board.vendor = DmiField(ctx, "board_vendor");
  board.model = DmiField(ctx, "board_name");
  board.serial = DmiField(ctx, "board_serial");

  if (!system.vendor.empty() || !system.model.empty() || !system.serial.empty())
    out->assets.push_back(std::move(system));
  if (!bios.vendor.empty() || !bios.version.empty()) {
    out->facts.emplace_back("host.bios_vendor", bios.vendor);
    out->facts.emplace_back("host.bios_version", bios.version);
    out->assets.push_back(std::move(bios));
  }
  if (!board.vendor.empty() || !board.model.empty() || !board.serial.empty())
    out->assets.push_back(std::move(board));
  // The UUID has no column in the ledger; as a fact it still shows a swapped mainboard.
  if (std::string uuid = DmiField(ctx, "product_uuid"); !uuid.empty())
    out->facts.emplace_back("host.product_uuid", uuid);
}

}  // namespace hai::hwcheck::host
