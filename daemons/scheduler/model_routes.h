#pragma once

#include <string>

#include "daemons/scheduler/model_artifacts.h"
#include "lib/http/router.h"

namespace hai::scheduler {

// Weights for agents on other nodes (docs/agent.md, "Model weights on other
// nodes"), behind the cluster token:
//   GET /internal/v1/models/{id}/manifest        the files, their sizes and SHA-256
//   GET /internal/v1/models/{id}/files/{path...}  one file of the manifest, streamed
// Only paths the manifest lists are served, opened inside the model's folder
// without following symbolic links.
void AddModelRoutes(http::Router* router, const ModelArtifacts* artifacts,
                    const std::string& token);

}  // namespace hai::scheduler
