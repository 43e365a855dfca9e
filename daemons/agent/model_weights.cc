#include "daemons/agent/model_weights.h"

#include <filesystem>

namespace hai::agent {

std::optional<ModelFetchMode> ParseModelFetchMode(std::string_view text) {
  if (text == "auto") return ModelFetchMode::kAuto;
  if (text == "always") return ModelFetchMode::kAlways;
  if (text == "never") return ModelFetchMode::kNever;
  return std::nullopt;
}

Result<LocalWeights> ModelWeights::Locate(const cluster::ReplicaAssignment& a,
                                          const FetchProgress& progress,
                                          const FetchCancelled& cancelled) const {
  if (mode_ == ModelFetchMode::kNever) return LocalWeights{a.model_path, nullptr, false};
  if (mode_ == ModelFetchMode::kAuto) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(a.model_path + "/config.json", ec))
      return LocalWeights{a.model_path, nullptr, false};
    if (a.model_id <= 0) return LocalWeights{a.model_path, nullptr, false};
  }
  if (a.model_id <= 0)
    return Status::FailedPrecondition(
        "the assignment names no model id, so the weights cannot be fetched "
        "(agent.model_fetch = \"always\"; the scheduler is older than this agent)");
  HAI_ASSIGN_OR_RETURN(std::shared_ptr<ModelCache::Lease> lease,
                       cache_->Ensure(a.model_id, a.model_digest, progress, cancelled));
  std::string path = lease->path();
  return LocalWeights{std::move(path), std::move(lease), true};
}

}  // namespace hai::agent
