#pragma once

#include "installer/hai-install/accounts.h"
#include "installer/hai-install/check.h"
#include "installer/hai-install/run_context.h"
#include "installer/hai-install/step.h"

namespace hai::install {

// --verify: every file of the plan (content, mode, owner, or absence), then
// each live action's own checks (sysctls, THP, I/O schedulers, nft table,
// units) and the probes (kernel command line, chrony, TLS). Changes nothing.
Checks VerifyPlan(const Plan& plan, const RunContext& ctx, const Accounts& accounts);

// The check of one file against its spec.
Check FileCheck(const FileSpec& spec, const RunContext& ctx, const Accounts& accounts);

}  // namespace hai::install
