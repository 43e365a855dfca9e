#pragma once

#include <string>

#include "netconf/fabric_plan.h"
#include "netconf/report.h"

namespace hai::netconf {

// What `hai-netconf plan` prints: every command, file and knob the node's
// plan renders to, and the switch template.
std::string RenderIntentHuman(const FabricPlan& plan, const NodePlan& node, const Environment& env);
std::string RenderIntentJson(const FabricPlan& plan, const NodePlan& node, const Environment& env);

// What apply and verify print.
std::string RenderReportHuman(const Report& report, const std::string& verb);
std::string RenderReportJson(const Report& report, const std::string& verb,
                             const std::string& node);

}  // namespace hai::netconf
