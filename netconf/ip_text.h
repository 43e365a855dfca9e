#pragma once

#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::netconf {

// Address text as the plan, hccn_tool and netlink spell it. Pure functions.

struct Cidr {
  std::string address;  // canonical ("10.20.1.11", "fd00::1")
  int prefix = 0;
  bool ipv6 = false;
  std::string Text() const { return address + "/" + std::to_string(prefix); }
};

// "10.20.1.11/24" or "fd00::1/64"; a bare address or a bad prefix is an error.
Result<Cidr> ParseCidr(std::string_view text);
// A bare address, canonicalised; "" when it is not one.
std::string CanonicalAddress(std::string_view text, bool* ipv6 = nullptr);
// 24 → "255.255.255.0".
std::string Ipv4Netmask(int prefix);
// Whether IPv4 `address` lies in `cidr`'s network.
bool SameIpv4Network(const Cidr& cidr, const std::string& address);
// A route destination as LinkState reports it: "default" for a zero-length
// prefix, otherwise the canonical network CIDR. "" when it is not one.
std::string CanonicalDestination(std::string_view text);

}  // namespace hai::netconf
