#pragma once

// The weights of one model as the control node holds them, for agents on
// other nodes that fetch them (GET /internal/v1/models/{id}/manifest on
// hai-scheduler). The digest names the exact content: a cached copy whose
// digest matches needs no download.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::cluster {

struct ModelFileEntry {
  std::string path;  // relative to the model's folder, '/'-separated
  int64_t bytes = 0;
  std::string sha256;  // lower-case hex
};

struct ModelManifest {
  int64_t model_id = 0;
  std::string digest;                 // ModelDigest(files)
  int64_t bytes = 0;                  // the files' sum
  std::vector<ModelFileEntry> files;  // sorted by path
};

// SHA-256 (lower-case hex) over the lines "path\tbytes\tsha256\n" of every
// file, sorted. "" for no files: a model without weights has no digest.
std::string ModelDigest(const std::vector<ModelFileEntry>& files);

// A manifest of `files` (sorted here) with its digest and total.
ModelManifest MakeModelManifest(int64_t model_id, std::vector<ModelFileEntry> files);

// A path a manifest may list: relative, '/'-separated, no empty, "." or ".."
// segment, no backslash and no control character, at most 4096 bytes. Such
// a path can only name something inside the model's folder.
Status CheckModelFilePath(std::string_view path);

// Strict like the other wire codecs; the reader also checks every path, each
// sha256 (64 lower-case hex), sizes ≥ 0, no path twice, and that `digest` and
// `bytes` agree with the files, so a manifest that was damaged on the way is
// refused rather than trusted.
nlohmann::json ToJson(const ModelManifest& m);
Result<ModelManifest> ModelManifestFromJson(const nlohmann::json& j);

// True for 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);

}  // namespace hai::cluster
