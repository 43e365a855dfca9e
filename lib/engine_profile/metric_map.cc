#include "lib/engine_profile/metric_map.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

namespace hai::engine_profile {
namespace {

// Samples of one family carry these suffixes (text format 0.0.4 and what
// prometheus_client adds for OpenMetrics-style created timestamps).
constexpr std::array<std::string_view, 7> kSampleSuffixes{"_bucket",  "_sum",  "_count", "_total",
                                                          "_created", "_gsum", "_gcount"};

bool IsNameChar(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  return alpha || (!first && c >= '0' && c <= '9');
}

// Where the metric name sits in one line, if the line names a metric.
struct NameSpan {
  size_t begin = 0;
  size_t length = 0;
};

size_t NameLength(std::string_view line, size_t begin) {
  size_t end = begin;
  while (end < line.size() && IsNameChar(line[end], end == begin)) ++end;
  return end - begin;
}

// "# HELP name …", "# TYPE name …" or "name{…} value" / "name value".
std::optional<NameSpan> FindName(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return std::nullopt;
  if (line[i] == '#') {
    for (std::string_view kw : {std::string_view("# HELP "), std::string_view("# TYPE ")}) {
      if (line.substr(i, kw.size()) != kw) continue;
      size_t begin = line.find_first_not_of(' ', i + kw.size());
      if (begin == std::string_view::npos) return std::nullopt;
      size_t length = NameLength(line, begin);
      if (length == 0) return std::nullopt;
      return NameSpan{begin, length};
    }
    return std::nullopt;
  }
  size_t length = NameLength(line, i);
  if (length == 0) return std::nullopt;
  size_t after = i + length;
  if (after < line.size() && line[after] != '{' && line[after] != ' ' && line[after] != '\t')
    return std::nullopt;
  return NameSpan{i, length};
}

// Every name the text uses, so mappings onto a name already present are skipped.
std::set<std::string, std::less<>> NamesIn(std::string_view text) {
  std::set<std::string, std::less<>> names;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    if (auto span = FindName(line)) names.emplace(line.substr(span->begin, span->length));
    pos = eol + 1;
  }
  return names;
}

bool FamilyPresent(const std::set<std::string, std::less<>>& names, std::string_view family) {
  if (names.contains(family)) return true;
  for (std::string_view suffix : kSampleSuffixes)
    if (names.contains(std::string(family) + std::string(suffix))) return true;
  return false;
}

// The mappings that apply to this text (target not already present).
MetricMap EffectiveMap(std::string_view text, const MetricMap& map) {
  auto names = NamesIn(text);
  MetricMap effective;
  for (const auto& [from, to] : map)
    if (from != to && !FamilyPresent(names, to)) effective.emplace(from, to);
  return effective;
}

// The new name for `name`, or "" to keep it.
std::string NewName(std::string_view name, const MetricMap& map) {
  if (auto it = map.find(name); it != map.end()) return it->second;
  for (std::string_view suffix : kSampleSuffixes) {
    if (!name.ends_with(suffix)) continue;
    auto it = map.find(name.substr(0, name.size() - suffix.size()));
    if (it != map.end()) return it->second + std::string(suffix);
  }
  return {};
}

}  // namespace

const std::vector<std::string_view>& CanonicalMetricNames() {
  static const std::vector<std::string_view> names = {
      "vllm:num_requests_running",          "vllm:num_requests_waiting",
      "vllm:kv_cache_usage_perc",           "vllm:prompt_tokens_total",
      "vllm:generation_tokens_total",       "vllm:num_preemptions_total",
      "vllm:request_success_total",         "vllm:time_to_first_token_seconds",
      "vllm:time_per_output_token_seconds", "vllm:inter_token_latency_seconds",
      "vllm:e2e_request_latency_seconds",   "vllm:request_queue_time_seconds",
      "vllm:request_prompt_tokens",         "vllm:request_generation_tokens",
      "vllm:prefix_cache_queries_total",    "vllm:prefix_cache_hits_total",
  };
  return names;
}

bool IsCanonicalMetric(std::string_view name) {
  const auto& names = CanonicalMetricNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsValidMetricName(std::string_view name) {
  return !name.empty() && NameLength(name, 0) == name.size();
}

std::string RenameMetrics(std::string_view text, const MetricMap& map) {
  MetricMap effective = EffectiveMap(text, map);
  if (effective.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    std::optional<NameSpan> span = FindName(line);
    std::string renamed = span ? NewName(line.substr(span->begin, span->length), effective) : "";
    if (renamed.empty()) {
      out.append(line);
    } else {
      out.append(line.substr(0, span->begin));
      out.append(renamed);
      out.append(line.substr(span->begin + span->length));
    }
    pos = next;
  }
  return out;
}

}  // namespace hai::engine_profile
