#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hai::netconf {

// Parsers for what `hccn_tool -i N <cmd> -g` prints (reference/appliance-hw.md
// §1.3). Where the reference gives the layout (-ip, -pfc) they follow it;
// where it only names the command (-gateway, -netdetect, -prio_tc, -mtu) or
// describes it loosely (-dscp_to_tc) they look for the value tolerantly and
// return nullopt rather than guess when the text holds no clear answer.
// Pure functions.

struct IpReadback {
  std::string address;
  std::string netmask;
};
// `ipaddr:a.b.c.d` / `netmask:a.b.c.d`.
std::optional<IpReadback> ParseHccnIp(std::string_view text);
// The first IPv4 address in the text (`-gateway -g`, `-netdetect -g`).
std::optional<std::string> ParseHccnAddress(std::string_view text);
// A `dscp tc` table, all 64 rows or one: each line with exactly two numbers.
std::map<int, int> ParseHccnDscpToTc(std::string_view text);
// `PFC configuration:` / `priority 0 … 7` / `enabled b0 … b7` → bitmap.
std::optional<unsigned> ParseHccnPfc(std::string_view text);
// Eight TCs: a line labelled with "tc" (not the priority header), or the
// only line holding eight numbers.
std::optional<std::array<int, 8>> ParseHccnPrioTc(std::string_view text);
// The number on the line that mentions "mtu" (any case), or the only number.
std::optional<int> ParseHccnMtu(std::string_view text);

}  // namespace hai::netconf
