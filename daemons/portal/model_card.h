#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::portal {

// What a model produces; every model has exactly one.
enum class ModelCategory {
  kTextGeneration,
  kImageGeneration,
  kSpeechGeneration,
  kVideoGeneration,
  kEmbedding,
  kRerank,
};

std::string_view CategoryName(ModelCategory category);  // "text-generation", …
std::optional<ModelCategory> ParseCategory(std::string_view name);
std::span<const ModelCategory> AllCategories();

// The closed vocabularies a card draws from; a word outside them is a 400
// (or a catalogue error) so that facets never split on spelling.
std::span<const std::string_view> KnownCapabilities();
bool IsKnownCapability(std::string_view name);
// Engine profile names (profiles/engines/) a model may be deployed with.
std::span<const std::string_view> KnownEngines();
bool IsKnownEngine(std::string_view name);

// Where a registry entry came from: the shipped catalogue, an admin's
// import, or the demo checkpoints the appliance makes itself.
enum class ModelSource { kCatalog, kImport, kDemo };
std::string_view SourceName(ModelSource source);
std::optional<ModelSource> ParseSource(std::string_view name);

// The facts a model's card shows; written by the catalogue, an import and
// PATCH. Unknown numbers stay empty rather than guessed.
struct ModelFacts {
  std::string display_name;
  ModelCategory category = ModelCategory::kTextGeneration;
  std::vector<std::string> capabilities;
  std::string series;                     // family, e.g. "Qwen"
  std::string vendor;                     // publisher, e.g. "Alibaba"
  std::optional<double> params_b;         // parameters, billions
  std::optional<int64_t> context_length;  // tokens
  std::string licence;
  std::string introduction;
  std::vector<std::string> use_cases;
  std::vector<std::string> highlights;
  std::vector<std::string> compatible_engines;
};

// One score from an evaluation run (filled by evaluation, M1-later).
struct EvaluationResult {
  std::string dataset;
  std::string metric;
  double score = 0;
  std::optional<int64_t> evaluated_at;
  std::string note;
};

// One file of an artifact, relative to the artifact directory.
struct ModelFile {
  std::string path;
  int64_t bytes = 0;
  std::string sha256;  // lower-case hex
};

// The weights on this appliance.
struct ModelArtifact {
  std::string dir;  // relative to the data directory, e.g. "models/7"
  std::string format = "safetensors";
  std::string model_type;    // config.json model_type, e.g. "qwen2"
  std::string architecture;  // config.json architectures[0]
  int64_t total_bytes = 0;
  std::vector<ModelFile> files;  // sorted by path; empty in list views
};

// One import of the weights, oldest first; the last is the current one.
struct ModelVersion {
  std::string version;
  int64_t imported_at = 0;
  int64_t total_bytes = 0;
  std::string digest;  // SHA-256 of the "sha256  path" manifest of its files
};

// A registry entry: card facts, weights and who may see it. Times are epoch
// milliseconds.
struct Model {
  int64_t id = 0;
  std::string name;  // unique, case-insensitive; the served model name
  ModelFacts facts;
  std::vector<EvaluationResult> evaluation_results;
  bool available = false;  // weights present on the appliance
  std::optional<ModelArtifact> artifact;
  std::vector<ModelVersion> versions;
  bool visible_to_all = true;
  std::vector<int64_t> visible_org_ids;  // when not visible to all
  ModelSource source = ModelSource::kImport;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Name rule: 1–128 characters of letters, digits, '.', '_', '-', starting
// with a letter or digit (it becomes a directory-safe served name).
Status CheckModelName(const std::string& name, const std::string& field = "name");
// Every rule on the facts; errors say "<field>: …" and carry the field.
Status CheckFacts(const ModelFacts& facts);
Status CheckEvaluationResults(const std::vector<EvaluationResult>& results);

}  // namespace hai::portal
