#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/install_config.h"

namespace hai::install {

// The host firewall of one node: table `inet hai`, input policy drop, and
// only the ports the node's role serves (docs/hai-install.md, "Firewall").
struct Ruleset {
  std::string text;                // for nft -f
  std::vector<std::string> marks;  // every rule's comment, which `nft list` shows back
};

// `header` goes on top (the generated-file comment).
Ruleset RenderRuleset(const InstallConfig& config, const std::string& header);

}  // namespace hai::install
