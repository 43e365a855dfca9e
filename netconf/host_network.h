#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/base/status.h"

namespace hai::netconf {

// The host side of a fabric plan, for one network interface, and the narrow
// seam through which it is applied and read back. The real implementation
// (netconf/netlink/) speaks rtnetlink through libnl-route for links,
// addresses and routes, and DCB netlink (RTM_GETDCB/RTM_SETDCB,
// DCB_CMD_IEEE_*) through libmnl for PFC/ETS/APP.

struct RouteSpec {
  std::string destination;  // "10.30.0.0/16" or "default"
  std::string gateway;      // "" for an on-link route
  int metric = 0;
  bool operator==(const RouteSpec&) const = default;
};

struct LinkState {
  std::string name;
  bool exists = false;
  bool up = false;          // administratively up (IFF_UP)
  int mtu = 0;
  std::vector<std::string> addresses;  // "10.20.0.1/24", IPv4 and IPv6, sorted
  std::vector<RouteSpec> routes;       // main-table routes out of this link, sorted
};

// IEEE 802.1Qaz/802.1Qbb settings as DCB netlink carries them.
struct DcbConfig {
  std::array<uint8_t, 8> prio_tc{};   // priority → traffic class
  std::array<uint8_t, 8> tc_tsa{};    // per TC: 0 strict, 2 ETS (IEEE_8021QAZ_TSA_*)
  std::array<uint8_t, 8> tc_bw{};     // per TC ETS share, percent, ETS TCs sum to 100
  uint8_t pfc_enabled = 0;            // bitmap, bit p = PFC on priority p
  std::vector<std::pair<uint8_t, uint8_t>> dscp_prio;  // APP table, selector DSCP (5): dscp → prio, sorted
  bool operator==(const DcbConfig&) const = default;
};

// PFC counters read back with the configuration (ieee_pfc requests/indications).
struct PfcCounters {
  std::array<uint64_t, 8> requests{};
  std::array<uint64_t, 8> indications{};
};

class HostNetwork {
 public:
  virtual ~HostNetwork() = default;
  // exists = false (not an error) when there is no such link.
  virtual Result<LinkState> GetLink(const std::string& name) = 0;
  virtual Status SetLinkUp(const std::string& name, bool up) = 0;
  virtual Status SetMtu(const std::string& name, int mtu) = 0;
  // Adds when missing; an address already there is not an error.
  virtual Status AddAddress(const std::string& name, const std::string& cidr) = 0;
  virtual Status RemoveAddress(const std::string& name, const std::string& cidr) = 0;
  // Adds or replaces (NLM_F_REPLACE) a main-table route out of `name`.
  virtual Status ReplaceRoute(const std::string& name, const RouteSpec& route) = 0;
  // A device without DCB support (veth, most virtual links) answers with a
  // kFailedPrecondition status whose message contains
  // "not supported by this device".
  virtual Result<DcbConfig> GetDcb(const std::string& name) = 0;
  virtual Status SetDcb(const std::string& name, const DcbConfig& config) = 0;
  virtual Result<PfcCounters> GetPfcCounters(const std::string& name) = 0;
};

}  // namespace hai::netconf
