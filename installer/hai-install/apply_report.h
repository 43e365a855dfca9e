#pragma once

#include <string>

#include "installer/hai-install/executor.h"

namespace hai::install {

// An apply's outcome: what each step changed, or what failed and was undone.
std::string RenderApplyHuman(const ApplyResult& result);
std::string RenderApplyJson(const ApplyResult& result);

}  // namespace hai::install
