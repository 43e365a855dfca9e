#pragma once

#include <string>
#include <vector>

#include "hwcheck/context.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// --peer NAME=HOST[:PORT] (IPv6 as [addr]:port; port default 7190) and
// --peer-npu-ips NAME=ip0,ip1,… (IPv4, NAME must be a --peer). Errors name the flag
// and the value at fault.
inline constexpr int kDefaultServePort = 7190;
Result<std::vector<Peer>> ParsePeers(const std::vector<std::string>& peers,
                                     const std::vector<std::string>& npu_ips);

// The --bmc URL with the password from --bmc-password-file put in its user
// part (percent-encoded), since CheckContext carries one URL. The file's first
// line is the password; a trailing newline is not part of it.
Result<std::string> BmcUrlWithPasswordFile(const std::string& url, const std::string& file);

// The evidence directory: --evidence-dir, else <json without .json>.evidence,
// else <html without .html>.evidence, else ./hai-hwcheck-evidence.
std::string DefaultEvidenceDir(const std::string& json, const std::string& html);

}  // namespace hai::hwcheck
