#pragma once

// The settings hai-install makes, one function (and file) each, in the
// order the plan applies them. Each returns its step; errors with a field
// are problems of the install config (exit 78), others stop the run (exit 1)
// before anything changed.

#include "installer/hai-install/plan_input.h"
#include "installer/hai-install/step.h"

namespace hai::install {

Result<Step> PlanSysctl(const PlanInput& in);        // sysctl_setting.cc
Result<Step> PlanThp(const PlanInput& in);           // thp_setting.cc
Result<Step> PlanIoScheduler(const PlanInput& in);   // iosched_setting.cc
Result<Step> PlanKernelArgs(const PlanInput& in);    // kernel_args_setting.cc
Result<Step> PlanChrony(const PlanInput& in);        // chrony_setting.cc
Result<Step> PlanFirewall(const PlanInput& in);      // firewall_setting.cc
Result<Step> PlanClusterToken(const PlanInput& in);  // token_setting.cc
Result<Step> PlanTls(const PlanInput& in);           // tls_setting.cc
Result<Step> PlanHaiConfig(const PlanInput& in);     // hai_config_setting.cc
Result<Step> PlanDeviceGroups(const PlanInput& in);  // device_groups_setting.cc
Result<Step> PlanUnits(const PlanInput& in);         // units_setting.cc

// The first line a generated file starts with.
std::string GeneratedHeader(const PlanInput& in, const std::string& comment = "#");

}  // namespace hai::install
