#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::hwcheck::ascend {

// `hccn_tool -i N -stat -g` ("packet statistics:" then `name:value`) and
// `-stat_extra -g` ("extra statistics info:" then `name : value`, the BER as
// `correcting_bit_rate : 1.23e-09`), reference/appliance-hw.md §1.3. Lines
// whose value is not a number are skipped.
using HccnCounters = std::map<std::string, double, std::less<>>;
HccnCounters ParseHccnCounters(std::string_view text);

// The counters that must not move while traffic runs (§8 r4): every roce_*
// counter with "err" in its name, and cw_uncorrect_cnt. Returns the ones that
// grew from `before` to `after`, name → increase.
std::map<std::string, double> ErrorCounterGrowth(const HccnCounters& before,
                                                 const HccnCounters& after);

// `hccn_tool -i N -link_stat -g`: lines prefixed `[devid N]` with the current
// time, `link up count : K` and change records `<time>  LINK UP|DOWN`.
struct LinkStat {
  int link_up_count = -1;
  int up_records = 0;
  int down_records = 0;
};
// kInvalidArgument when there is no `link up count` line.
Result<LinkStat> ParseHccnLinkStat(std::string_view text);

}  // namespace hai::hwcheck::ascend
