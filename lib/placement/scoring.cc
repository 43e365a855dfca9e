#include "lib/placement/scoring.h"

#include <algorithm>
#include <utility>

namespace hai::placement {
namespace {

double Ratio(double used, double total) {
  if (total <= 0) return 1.0;
  return std::clamp(used / total, 0.0, 1.0);
}

}  // namespace

double PairScore(const DeviceSet& set, const std::vector<GroupStats>& groups) {
  const size_t k = set.size();
  if (k <= 1) return 1.0;
  int linked = 0;
  for (size_t i = 0; i < k; ++i)
    for (size_t j = i + 1; j < k; ++j)
      if (set[i]->group == set[j]->group && groups[set[i]->group].linked) ++linked;
  return static_cast<double>(linked) / static_cast<double>(k * (k - 1) / 2);
}

double UsageAfter(const DeviceCandidate& c) {
  return c.total_mib > 0
             ? Ratio(static_cast<double>(c.used_after_mib), static_cast<double>(c.total_mib))
             : 1.0;
}

double UsageTerm(const DeviceSet& set, Policy policy) {
  if (set.empty()) return 0;
  double sum = 0;
  for (const DeviceCandidate* c : set) sum += UsageAfter(*c);
  double mean = sum / static_cast<double>(set.size());
  return policy == Policy::kSpread ? 1.0 - mean : mean;
}

double FragmentationTerm(const DeviceSet& set, const std::vector<GroupStats>& groups) {
  // (group, whole-free cards taken); a set touches few groups, so a flat list.
  std::vector<std::pair<int, int>> taken;
  for (const DeviceCandidate* c : set) {
    auto it = std::find_if(taken.begin(), taken.end(),
                           [&](const std::pair<int, int>& t) { return t.first == c->group; });
    if (it == taken.end()) it = taken.insert(taken.end(), {c->group, 0});
    it->second += c->whole_free ? 1 : 0;
  }
  if (taken.empty()) return 1.0;
  double cost = 0;
  for (const auto& [g, n] : taken) {
    if (n == 0) continue;
    const GroupStats& s = groups[g];
    cost += Ratio(static_cast<double>(s.whole_free - n), static_cast<double>(s.size));
  }
  return 1.0 - cost / static_cast<double>(taken.size());
}

double DeviceSetScore(const DeviceSet& set, const std::vector<GroupStats>& groups, Policy policy) {
  if (policy == Policy::kFirstFit) return 0;
  double t = PairScore(set, groups);
  double u = UsageTerm(set, policy);
  double f = FragmentationTerm(set, groups);
  return 100.0 * (3 * t + 2 * u + f) / 6.0;
}

double NodeScore(const NodeLoad& l, Policy policy) {
  if (policy == Policy::kFirstFit) return 0;
  double sum = 0;
  int terms = 0;
  if (l.cards > 0) {
    sum += Ratio(l.cards_held_after, l.cards);
    sum += Ratio(static_cast<double>(l.card_used_after_mib), static_cast<double>(l.card_mib));
    terms += 2;
  }
  if (l.count_cpu) {
    sum += Ratio(l.cpu_used_after, l.cpu_cores);
    ++terms;
  }
  if (l.count_host_memory) {
    sum += Ratio(static_cast<double>(l.host_used_after_mib), static_cast<double>(l.host_mib));
    ++terms;
  }
  if (terms == 0) return policy == Policy::kSpread ? 100.0 : 0.0;
  double u = sum / terms;
  return 100.0 * (policy == Policy::kSpread ? 1.0 - u : u);
}

}  // namespace hai::placement
