#include "daemons/gateway/scorer.h"

namespace hai::gateway {

double LeastOutstandingScorer::Score(const ReplicaState& replica, const std::string&) const {
  return -static_cast<double>(replica.outstanding());
}

void ScorerRegistry::Add(const std::string& name, Factory factory) {
  factories_[name] = std::move(factory);
}

Result<std::unique_ptr<Scorer>> ScorerRegistry::Create(const std::string& name) const {
  auto it = factories_.find(name);
  if (it == factories_.end())
    return Status::InvalidArgument("unknown scorer '" + name + "'; known: " + Names(), "scorer");
  return it->second();
}

std::string ScorerRegistry::Names() const {
  std::string out;
  for (const auto& [name, factory] : factories_) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void RegisterBuiltinScorers(ScorerRegistry* registry) {
  registry->Add("least_outstanding", [] { return std::make_unique<LeastOutstandingScorer>(); });
}

}  // namespace hai::gateway
