#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::accel {

// Small text helpers shared by the vendor-tool parsers. Pure functions.

std::string_view TrimText(std::string_view s);
std::vector<std::string_view> SplitLines(std::string_view text);
// Splits on any of `separators`, dropping empty pieces.
std::vector<std::string_view> SplitAny(std::string_view s, std::string_view separators);

// A number as the tools print it, with an optional unit suffix (" MiB", "%",
// " W", " C"). "N/A", "[N/A]", "NA", "-", "[Not Supported]" and garbage → nullopt.
std::optional<double> ParseToolNumber(std::string_view s);

// `Key : value` lines (npu-smi -t …, reference/appliance-hw.md §1.2) grouped
// into blocks: a blank line, or a key that repeats inside the current block,
// starts a new one (each chip's block starts again at `Chip ID`). Lines
// without " : " are skipped.
using KeyValueBlock = std::map<std::string, std::string, std::less<>>;
std::vector<KeyValueBlock> ParseKeyValueBlocks(std::string_view text);

// A device×device link matrix as `npu-smi info -t topo` and `nvidia-smi topo -m`
// print it: a header row naming the devices (NPU0… / GPU0…) and then one row
// per device. Returns, per device index, the island it belongs to when a cell
// counts as a link per `is_link`: islands are numbered 0, 1, … in order of
// their lowest member; a device linked to nothing gets -1. Empty if no matrix.
std::vector<int> ParseLinkIslands(std::string_view text, std::string_view row_prefix,
                                  bool (*is_link)(std::string_view cell));

}  // namespace hai::accel
