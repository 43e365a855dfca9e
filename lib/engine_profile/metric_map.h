#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hai::engine_profile {

// Engine metric family → canonical name.
using MetricMap = std::map<std::string, std::string, std::less<>>;

// The canonical engine metrics: vLLM's names, which hai-engine also exports,
// so one reader (gateway, autoscaler, dashboards) serves every engine. A
// profile's metric_map may only map onto these.
const std::vector<std::string_view>& CanonicalMetricNames();
bool IsCanonicalMetric(std::string_view name);

// Prometheus metric name syntax: [a-zA-Z_:][a-zA-Z0-9_:]*.
bool IsValidMetricName(std::string_view name);

// Prometheus text exposition `text` with the families in `map` renamed: their
// # HELP and # TYPE lines and every sample, including the _bucket, _sum,
// _count, _total and _created samples of a renamed family. Labels, values,
// timestamps, comments and unmapped families are kept byte for byte. A
// mapping whose target name the text already has is skipped, so an engine
// that exports both an old and a new name never yields two families of one
// name. Never fails: lines it does not understand pass through unchanged.
std::string RenameMetrics(std::string_view text, const MetricMap& map);

}  // namespace hai::engine_profile
