#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// Pure parsers for the one-line `hccn_tool -i N -<cmd> -g` answers of
// reference/appliance-hw.md §1.3. Each is kInvalidArgument naming the command
// when its line is missing (the tool printed something else, e.g. an error).

// `-link`: "link status: UP" → "UP" (or "DOWN").
Result<std::string> ParseHccnLink(std::string_view text);
// `-speed`: "Speed: 200000 Mb/s" → 200000; "Speed: Unknown!" (link down) → nullopt.
Result<std::optional<int64_t>> ParseHccnSpeed(std::string_view text);
// `-net_health`: "net health status: Success" → "Success" (may hold spaces:
// "Socket fail", "Receive timeout", "Detect ip set").
Result<std::string> ParseHccnNetHealth(std::string_view text);
// `-fec`: "fec mode: rs FEC mode" → "rs"; "no FEC mode" → "no"; "auto FEC mode" → "auto".
Result<std::string> ParseHccnFec(std::string_view text);
// `-tls`: the `switch` line → "enable" or "disable" (a 0/1 or the word after
// "switch", in brackets or after a colon); anything else as printed.
Result<std::string> ParseHccnTls(std::string_view text);
// `-ip`: "ipaddr:a.b.c.d" and "netmask:…" (no spaces).
struct HccnIp {
  std::string address;
  std::string netmask;
};
Result<HccnIp> ParseHccnIp(std::string_view text);

// Net health values that mean the port can reach its detect address, or has
// not been probed yet (§8: Success or Init).
bool NetHealthOk(std::string_view status);

}  // namespace hai::hwcheck::ascend
