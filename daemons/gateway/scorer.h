#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "daemons/gateway/replica_state.h"
#include "lib/base/status.h"

namespace hai::gateway {

// Ranks the replicas of one deployment for one request: the picker sends the
// request to the highest score (ties broken at random). Scorers that know
// more about an engine — its queue depth, KV-cache use, which prompt
// prefixes it holds — plug in here. Implementations are thread-safe.
class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual std::string name() const = 0;
  // Higher is better. `body` is the request as the caller sent it.
  virtual double Score(const ReplicaState& replica, const std::string& body) const = 0;
};

// Fewest requests in flight from this gateway.
class LeastOutstandingScorer final : public Scorer {
 public:
  std::string name() const override { return "least_outstanding"; }
  double Score(const ReplicaState& replica, const std::string& body) const override;
};

// Scorer names → factories, filled by RegisterBuiltinScorers (no static
// registration); gateway.scorer names one.
class ScorerRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Scorer>()>;
  void Add(const std::string& name, Factory factory);
  bool Has(const std::string& name) const { return factories_.count(name) > 0; }
  Result<std::unique_ptr<Scorer>> Create(const std::string& name) const;
  std::string Names() const;  // "a, b"

 private:
  std::map<std::string, Factory> factories_;
};

void RegisterBuiltinScorers(ScorerRegistry* registry);

}  // namespace hai::gateway
