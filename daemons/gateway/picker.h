#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "daemons/gateway/route_map.h"
#include "daemons/gateway/scorer.h"

namespace hai::gateway {

struct Pick {
  int64_t deployment_id = 0;
  std::shared_ptr<ReplicaState> replica;
};

// Chooses where one request goes: a deployment of the service at random in
// proportion to the traffic weights (weight 0 takes nothing), among those
// that have a replica left to try, then that deployment's best replica by
// the scorer (ties at random). Replicas already tried for this request are
// skipped, and so are ejected ones, unless every replica left is ejected:
// then they are tried anyway rather than failing a request that one of
// them might still answer. Thread-safe.
class Picker {
 public:
  Picker(std::unique_ptr<Scorer> scorer, uint64_t seed);

  // nullopt when no replica of the service is left to try.
  std::optional<Pick> Choose(const RoutedService& service, const std::set<int64_t>& tried,
                             const std::string& body);

 private:
  using Candidates = std::vector<std::shared_ptr<ReplicaState>>;
  std::optional<Pick> ChooseAmong(const RoutedService& service,
                                  const std::vector<Candidates>& per_deployment,
                                  const std::string& body);
  size_t RandomBelow(size_t n);

  std::unique_ptr<Scorer> scorer_;
  std::mutex mu_;
  std::mt19937_64 rng_;  // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
