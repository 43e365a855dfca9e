#include "daemons/gateway/picker.h"

namespace hai::gateway {

Picker::Picker(std::unique_ptr<Scorer> scorer, uint64_t seed)
    : scorer_(std::move(scorer)), rng_(seed) {}

size_t Picker::RandomBelow(size_t n) {
  std::lock_guard lock(mu_);
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
}

std::optional<Pick> Picker::Choose(const RoutedService& service, const std::set<int64_t>& tried,
                                   const std::string& body) {
  std::vector<Candidates> healthy(service.deployments.size()), any(service.deployments.size());
  bool have_healthy = false;
  for (size_t i = 0; i < service.deployments.size(); ++i) {
    const RoutedDeployment& d = service.deployments[i];
    if (d.weight <= 0) continue;
    for (const auto& r : d.replicas) {
      if (tried.count(r->id())) continue;
      any[i].push_back(r);
      if (!r->ejected()) {
        healthy[i].push_back(r);
        have_healthy = true;
      }
    }
  }
  return ChooseAmong(service, have_healthy ? healthy : any, body);
}

std::optional<Pick> Picker::ChooseAmong(const RoutedService& service,
                                        const std::vector<Candidates>& per_deployment,
                                        const std::string& body) {
  uint64_t total = 0;
  for (size_t i = 0; i < per_deployment.size(); ++i)
    if (!per_deployment[i].empty()) total += static_cast<uint64_t>(service.deployments[i].weight);
  if (total == 0) return std::nullopt;
  uint64_t ticket = RandomBelow(static_cast<size_t>(total));
  size_t chosen = 0;
  for (size_t i = 0; i < per_deployment.size(); ++i) {
    if (per_deployment[i].empty()) continue;
    const auto weight = static_cast<uint64_t>(service.deployments[i].weight);
    if (ticket < weight) {
      chosen = i;
      break;
    }
    ticket -= weight;
  }
  const Candidates& candidates = per_deployment[chosen];
  std::vector<size_t> best;
  double best_score = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const double score = scorer_->Score(*candidates[i], body);
    if (best.empty() || score > best_score) {
      best = {i};
      best_score = score;
    } else if (score == best_score) {
      best.push_back(i);
    }
  }
  const size_t pick = best.size() == 1 ? best[0] : best[RandomBelow(best.size())];
  return Pick{service.deployments[chosen].id, candidates[pick]};
}

}  // namespace hai::gateway
