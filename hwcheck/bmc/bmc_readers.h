#pragma once

#include <chrono>
#include <string>

#include "hwcheck/bmc/bmc_snapshot.h"
#include "hwcheck/context.h"
#include "hwcheck/tool_runner.h"
#include "lib/base/status.h"

namespace hai::hwcheck::bmc {

// --bmc ipmi://user:pass@host:port (port default 623)
//       redfish+https://user:pass@host:port (443) | redfish+http://… (80; tests only)
// User and password are percent-decoded; the password may instead come from a
// file (--bmc-password-file), which wins. Errors name the part at fault.
struct BmcTarget {
  std::string scheme;  // "ipmi", "redfish+https", "redfish+http"
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
  std::string ca_file;    // redfish+https: PEM to trust, "" = system store
  bool insecure = false;  // redfish+https: accept any certificate
  std::string Endpoint() const;  // "host:port", never the password
};
Result<BmcTarget> ParseBmcUrl(const std::string& url);  // bmc_url.cc (owner D2)

// IPMI over LAN through ipmitool (-I lanplus -C 3; the password goes through a
// 0600 temporary file with -f, never on the command line or in evidence):
// mc info, chassis status, sdr elist, sel elist, fru print. Login refused or
// timed out → an Unavailable status saying which. (ipmi_reader.cc, owner D1)
Result<BmcSnapshot> ReadIpmiBmc(const BmcTarget& target, ToolRunner& tools,
                                std::chrono::milliseconds timeout);

// Redfish over HTTPS (or HTTP for tests): the service root, Systems (+
// Processors, Memory, Storage/SimpleStorage, LogServices entries), Chassis
// (Thermal or ThermalSubsystem, Power or PowerSubsystem), Managers. Each
// answer is saved as evidence (credentials never). (redfish_reader.cc, owner D2)
Result<BmcSnapshot> ReadRedfishBmc(const BmcTarget& target, EvidenceStore& evidence,
                                   std::chrono::milliseconds timeout);

// The rules that turn a snapshot into r1 checks ("bmc.*" ids) and assets
// (system, bios, board, bmc, psu, memory, disk serials). (bmc_judge.cc, owner D2)
void JudgeBmc(const BmcSnapshot& snapshot, const CheckContext& ctx, Findings* out);

}  // namespace hai::hwcheck::bmc
