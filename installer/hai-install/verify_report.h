#pragma once

#include <string>

#include "installer/hai-install/check.h"

namespace hai::install {

// --verify: one line per check (ok / FAIL / skipped with the reason) and a
// count; JSON {"ok":bool,"checks":[{"id","status","expected","actual","detail"}]}.
std::string RenderChecksHuman(const Checks& checks);
std::string RenderChecksJson(const Checks& checks);
bool AllGood(const Checks& checks);

}  // namespace hai::install
