#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::engine_profile {

// What a model does, in the plaza's words; an engine profile lists the ones it
// can serve so the deploy form offers only engines that fit the model.
enum class Category {
  kTextGeneration,
  kEmbedding,
  kRerank,
  kImageGeneration,
  kSpeechGeneration,
  kVideoGeneration,
};

// "text-generation", "embedding", "rerank", "image-generation",
// "speech-generation", "video-generation".
std::string_view CategoryName(Category c);
std::optional<Category> ParseCategory(std::string_view name);

// How a parameter's value is checked before it reaches an argument or a file.
enum class ParamKind { kString, kInteger, kNumber };
std::string_view ParamKindName(ParamKind k);  // string, integer, number

// A named setting of one engine. A value comes from the launch (for example
// the deployment's context length) or else from `default_value`. When it has a
// value, `args` (templates, where {value} is the value) are added to the
// command line; a parameter with a default can also be used as a placeholder
// {name} anywhere in the profile (install directories, config file numbers).
struct ParamSpec {
  ParamKind kind = ParamKind::kString;
  std::optional<std::string> default_value;
  std::vector<std::string> args;
  std::string description;
};

// OK when `value` suits `spec` (an integer for kInteger, a finite number for
// kNumber; 1..4096 bytes without control characters for all); otherwise an
// InvalidArgument saying why, for the caller to prefix with where it came from.
Status CheckParamValue(const ParamSpec& spec, std::string_view value);

// A file the agent writes before launch, for engines configured by a file
// rather than by flags (MindIE's config.json). Both strings are templates.
struct ConfigFileTemplate {
  std::string path;  // always "{work_dir}/…": files never land outside the replica's directory
  std::string content;
  bool json = false;  // values are JSON-escaped and the result must parse as JSON
};

// How hai-agent launches one engine (profiles/engines/<name>.toml; every key is
// documented in docs/engine-profiles.md). Templates use {placeholders}, listed
// in launch.h. A plain value, copied freely; built only by ParseProfile.
struct EngineProfile {
  std::string name;          // "vllm"; equals the file's stem
  std::string display_name;  // "vLLM"
  std::string description;
  std::vector<Category> categories;
  std::vector<accel::Vendor> vendors;       // accel::Vendor::kCpu: runs without accelerators
  bool runs_on_simulated_devices = false;   // may be placed on a hardware profile's devices
  std::vector<std::string> command;         // argv templates; argv[0] without '/' is found on PATH
  std::vector<std::string> reserved_flags;  // aliases of command flags users may not pass
  std::map<std::string, std::string> env;   // name → template, on top of the agent's environment
  std::map<std::string, ParamSpec> params;
  std::vector<ConfigFileTemplate> config_files;
  std::string health_path;    // 200 here means ready to serve
  std::string metrics_path;   // Prometheus text; "" when the engine has none
  int ready_timeout_s = 600;  // from spawn to the first healthy answer
  // Engine metric family → canonical vLLM name (see metric_map.h). Families
  // not listed keep their names; an engine that already uses vLLM's names
  // needs no entries.
  std::map<std::string, std::string, std::less<>> metric_map;

  bool SupportsVendor(accel::Vendor v) const;
  bool ServesCategory(Category c) const;
};

// The profile called `name`, or null.
const EngineProfile* FindProfile(const std::vector<EngineProfile>& profiles, std::string_view name);

}  // namespace hai::engine_profile
