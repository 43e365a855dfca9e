#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netconf/fabric_plan.h"

namespace hai::netconf {

inline constexpr char kHccnConfPath[] = "/etc/hccn.conf";

// /etc/hccn.conf: one `key_<phyid>=value` per line, re-applied by
// `hccn_tool -a -cfg recovery` (reference/appliance-hw.md §1.3, §3.4). Kept
// as the file's lines so that a rewrite changes only the values it sets:
// comments, blank lines, other devices and keys we do not own (the QoS keys
// hccn_tool writes itself) stay byte for byte.
class HccnConf {
 public:
  static HccnConf Parse(std::string_view text);
  std::string Render() const;

  std::optional<std::string> Get(int device, std::string_view key) const;
  // Replaces the value in place, or appends after the device's last line.
  void Set(int device, const std::string& key, const std::string& value);
  // device → key → value, for every `key_<phyid>=value` line.
  std::map<int, std::map<std::string, std::string>> Settings() const;

  bool operator==(const HccnConf&) const = default;

 private:
  struct Line {
    std::string text;  // the line as written
    std::string key;   // "" for a line that is not key_<phyid>=value
    int device = -1;
    std::string value;
    bool operator==(const Line&) const = default;
  };
  static Line ParseLine(std::string text);

  std::vector<Line> lines_;
  bool final_newline_ = true;
};

// The keys hai-netconf owns for a port: address, netmask, gateway, netdetect.
std::map<std::string, std::string> HccnConfKeys(const NpuPort& port);

}  // namespace hai::netconf
