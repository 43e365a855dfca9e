#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "lib/base/status.h"
#include "lib/cluster/model_manifest.h"

namespace hai::agent {

// The control node's copy of the weights, fetched from hai-scheduler over
// HTTP with the cluster token (GET /internal/v1/models/{id}/manifest and
// /files/{path}). Immutable; each call opens its own connection, so any
// thread may call.
class ModelSource {
 public:
  struct Settings {
    std::string host;
    int port = 0;
    std::string token;
    // Per connect and per read: a scheduler that stops sending for this long
    // fails the download.
    int timeout_ms = 30000;
  };
  explicit ModelSource(Settings settings) : settings_(std::move(settings)) {}

  // Unavailable when the scheduler cannot be reached; NotFound when it has no
  // weights for the model; InvalidArgument for a manifest that does not hold
  // together.
  Result<cluster::ModelManifest> Manifest(int64_t model_id) const;

  // Downloads `file` of the model into the new file `dest`, checking its size
  // and SHA-256 while it is written (VerifiedFileWriter), and syncs it.
  // `on_bytes` gets each piece's size; `cancelled` is asked between pieces and
  // true stops the transfer (Unavailable "cancelled"). Errors name the file.
  Status Download(int64_t model_id, const cluster::ModelFileEntry& file, const std::string& dest,
                  const std::function<void(int64_t bytes)>& on_bytes,
                  const std::function<bool()>& cancelled) const;

  std::string where() const { return settings_.host + ":" + std::to_string(settings_.port); }

 private:
  Settings settings_;
};

// `path` with every byte outside A-Z a-z 0-9 - . _ ~ / percent-encoded, for a
// URL (a file name may hold spaces, '%' or UTF-8).
std::string EncodeUrlPath(const std::string& path);

}  // namespace hai::agent
