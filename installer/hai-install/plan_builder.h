#pragma once

#include "installer/hai-install/accounts.h"
#include "installer/hai-install/plan_input.h"
#include "installer/hai-install/step.h"

namespace hai::install {

// Every setting's step in the order they are applied, with owners resolved
// against the target's accounts. Reads the target (existing files) but
// changes nothing.
Result<Plan> BuildPlan(const PlanInput& in, const Accounts& accounts);

}  // namespace hai::install
