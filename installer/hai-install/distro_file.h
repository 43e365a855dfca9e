#pragma once

#include <string>
#include <vector>

#include "installer/hai-install/plan_input.h"
#include "installer/hai-install/step.h"

namespace hai::install {

// Whether a line of `content` starts with one of `keywords` and names one of
// `targets` after it (quotes ignored): `confdir /etc/chrony/conf.d`,
// `include "/etc/nftables.d/*.nft"`.
bool HasDirective(const std::string& content, const std::vector<std::string>& keywords,
                  const std::vector<std::string>& targets);

// A file of the distro's (chrony.conf, nftables.conf) we only add one line
// to. The spec keeps its mode and owner. `need` tells whether the line is
// needed given the current content; when it is, `comment` and `line` are
// appended. The file must exist: `missing` is the error otherwise.
Result<FileSpec> DistroFileWithLine(const PlanInput& in, const std::string& path, bool needed,
                                    const std::string& comment, const std::string& line,
                                    const std::string& missing);

// The same file with our `comment` and `line` taken out again (when present).
Result<FileSpec> DistroFileWithoutLine(const PlanInput& in, const std::string& path,
                                       const std::string& comment, const std::string& line);

// The current content of a file of the target, "" when absent.
std::string ReadTargetFile(const PlanInput& in, const std::string& path);

}  // namespace hai::install
