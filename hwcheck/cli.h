#pragma once

#include <ostream>
#include <vector>

#include "hwcheck/run.h"

namespace hai::hwcheck {

// The production suites (suites.h) in run order for this context.
std::vector<Suite> DefaultSuites(const CheckContext& ctx);

// The whole program behind main.cc: parse, dispatch to check, serve or
// cluster; returns the exit status.
int HwcheckMain(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hai::hwcheck
