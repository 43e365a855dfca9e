#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// An Ascend `version.info` (driver/, firmware/) or the toolkit's
// `ascend_toolkit_install.info`: `key=value` lines (reference/appliance-hw.md
// §1.2). Keys are kept as written; Get() looks them up ignoring case, so
// `Version=` (driver, firmware) and `version=` (toolkit) both answer "version".
struct VersionInfo {
  std::map<std::string, std::string, std::less<>> keys;
  std::string Get(std::string_view key) const;  // "" when absent
  std::string Version() const { return Get("version"); }
  std::string CompatibleFirmware() const { return Get("compatible_version_fw"); }
};
VersionInfo ParseVersionInfo(std::string_view text);

// Compares dotted versions segment by segment: numeric segments as numbers,
// others ("rc2", "RC1", "alpha001") as text ignoring case, so "24.1.rc2" <
// "24.1.rc3" and "7.1.0.5.220" < "7.1.99". When `as_prefix` the comparison stops
// at the end of `b` (b = "7.1" then matches every 7.1.x).
int CompareVersions(std::string_view a, std::string_view b, bool as_prefix = false);

// Whether `firmware` is within the driver's `compatible_version_fw`. Accepted
// forms (the exact one must be confirmed on site; see docs/hwcheck.md):
//   [lo,hi]            an inclusive range: lo ≤ fw ≤ hi, each bound a prefix
//                      ("[7.0.0,7.1.99]" accepts 7.1.0.5.220)
//   [v1],[v2],…        a list of versions, each a prefix ("[7.1]" accepts 7.1.x)
//   v1,v2,…            the same list without brackets
//   [lo,hi],[v3]       ranges and versions mixed
// kInvalidArgument when the text is empty or has unbalanced brackets.
Result<bool> FirmwareCompatible(std::string_view firmware, std::string_view compatible);

}  // namespace hai::hwcheck::ascend
