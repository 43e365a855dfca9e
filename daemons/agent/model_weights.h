#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "daemons/agent/model_cache.h"
#include "lib/base/status.h"
#include "lib/cluster/replica_wire.h"

namespace hai::agent {

// agent.model_fetch
enum class ModelFetchMode { kAuto, kAlways, kNever };
std::optional<ModelFetchMode> ParseModelFetchMode(std::string_view text);

// Where a replica's weights are on this node. `lease` (set for a cached
// copy) keeps the copy from eviction while the replica holds it.
struct LocalWeights {
  std::string path;
  std::shared_ptr<ModelCache::Lease> lease;
  bool cached = false;
};

// Decides, per assignment, whether the weights are used where model_path
// says or fetched into the cache (docs/agent.md, "Model weights on other
// nodes"):
//   never   model_path as it is;
//   auto    model_path when it holds config.json on this node (the control
//           node itself, or shared storage); else the cache, when the
//           assignment names a model (model_id > 0), else model_path as it
//           is (an older scheduler: nothing can be fetched);
//   always  the cache.
// Thread-safe (the cache is).
class ModelWeights {
 public:
  ModelWeights(ModelFetchMode mode, ModelCache* cache) : mode_(mode), cache_(cache) {}

  // `progress` is called only when something is downloaded or waited for.
  Result<LocalWeights> Locate(const cluster::ReplicaAssignment& a, const FetchProgress& progress,
                              const FetchCancelled& cancelled) const;

 private:
  ModelFetchMode mode_;
  ModelCache* cache_;
};

}  // namespace hai::agent
