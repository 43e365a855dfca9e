#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "lib/engine_profile/engine_profile.h"

namespace hai::engine_profile {

// Reads one engine profile (TOML; every key in docs/engine-profiles.md).
// Strict: an unknown key, a wrong type, a missing required key, an unknown
// placeholder or a metric mapped onto a non-canonical name is an
// InvalidArgument that names `source_name` and the key, e.g.
// "vllm.toml: command[3]: unknown placeholder {modle_path}".
Result<EngineProfile> ParseProfile(std::string_view text, const std::string& source_name);

// The same from a file; the profile's name must equal the file's stem.
Result<EngineProfile> LoadProfile(const std::string& path);

// Every *.toml in `dir` (other files, such as README.md, are ignored), in file
// name order. One bad profile fails the whole load, naming its file. Names
// equal file stems, so no name can be used twice. A missing directory is
// NotFound.
Result<std::vector<EngineProfile>> LoadProfiles(const std::string& dir);

}  // namespace hai::engine_profile
