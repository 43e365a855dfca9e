#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/executor.h"
#include "installer/hai-install/step.h"

namespace hai::install {

// --dry-run: the plan, each step with what it would change (the content of
// files that change, secrets left out).
std::string RenderPlanHuman(const Plan& plan, const std::vector<StepPreview>& previews);
std::string RenderPlanJson(const Plan& plan, const std::vector<StepPreview>& previews);

}  // namespace hai::install
