#pragma once

#include <string>

#include "installer/hai-install/plan_input.h"

namespace hai::install {

// What hai.toml needs beyond the install config.
struct HaiTomlInputs {
  std::string agent_profile_path;  // "" = real hardware
  bool has_ca = false;             // /etc/hai/tls/ca.crt is installed
};

// /etc/hai/hai.toml for this node: only keys the daemons accept
// (docs/configuration.md). Daemons reached from other nodes listen on
// 0.0.0.0; URLs name the control node (the VIP for the gateway); with TLS
// on, the portal and gateways serve HTTPS with /etc/hai/tls.
std::string RenderHaiToml(const PlanInput& in, const HaiTomlInputs& extra);

// A TOML basic string.
std::string TomlString(const std::string& value);

}  // namespace hai::install
