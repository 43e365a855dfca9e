#include "daemons/portal/model_card.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

namespace hai::portal {
namespace {

constexpr std::array<ModelCategory, 6> kCategories = {
    ModelCategory::kTextGeneration,   ModelCategory::kImageGeneration,
    ModelCategory::kSpeechGeneration, ModelCategory::kVideoGeneration,
    ModelCategory::kEmbedding,        ModelCategory::kRerank};

// Kept short on purpose: a new word is a code change reviewed with the plaza's facets.
constexpr std::array<std::string_view, 16> kCapabilities = {
    "chat",          "tool_calls",    "vision",         "long_context",    "reasoning",
    "code",          "math",          "multilingual",   "text_to_image",   "text_to_speech",
    "voice_cloning", "text_to_video", "image_to_video", "dense_retrieval", "sparse_retrieval",
    "multi_vector"};

constexpr std::array<std::string_view, 6> kEngines = {"builtin", "vllm",   "vllm-ascend",
                                                      "mindie",  "sglang", "llama-cpp-server"};

template <size_t N>
std::string JoinWords(const std::array<std::string_view, N>& words) {
  std::string out;
  for (std::string_view w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

Status Invalid(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + ": " + what, field);
}

size_t CodePoints(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Card text: bounded, no control characters except newlines and tabs in
// multi-line fields.
Status CheckText(const std::string& field, const std::string& value, size_t min, size_t max,
                 bool multiline = false) {
  size_t n = CodePoints(value);
  if (n < min) return Invalid(field, min == 1 ? "must not be empty" : "is too short");
  if (n > max) return Invalid(field, "must be at most " + std::to_string(max) + " characters");
  for (unsigned char c : value) {
    bool allowed = c == '\t' || (multiline && c == '\n');
    if ((c < 0x20 && !allowed) || c == 0x7F) return Invalid(field, "contains control characters");
  }
  return Status::Ok();
}

Status CheckList(const std::string& field, const std::vector<std::string>& items, size_t max_items,
                 size_t max_chars) {
  if (items.size() > max_items)
    return Invalid(field, "holds at most " + std::to_string(max_items) + " entries");
  for (size_t i = 0; i < items.size(); ++i)
    HAI_RETURN_IF_ERROR(CheckText(field + "[" + std::to_string(i) + "]", items[i], 1, max_chars));
  return Status::Ok();
}

template <size_t N>
Status CheckWords(const std::string& field, const std::vector<std::string>& items,
                  const std::array<std::string_view, N>& vocabulary) {
  std::set<std::string> seen;
  for (const std::string& item : items) {
    if (std::find(vocabulary.begin(), vocabulary.end(), item) == vocabulary.end())
      return Invalid(field, "'" + item + "' is not one of " + JoinWords(vocabulary));
    if (!seen.insert(item).second) return Invalid(field, "'" + item + "' is listed twice");
  }
  return Status::Ok();
}

}  // namespace

std::string_view CategoryName(ModelCategory category) {
  switch (category) {
    case ModelCategory::kTextGeneration:
      return "text-generation";
    case ModelCategory::kImageGeneration:
      return "image-generation";
    case ModelCategory::kSpeechGeneration:
      return "speech-generation";
    case ModelCategory::kVideoGeneration:
      return "video-generation";
    case ModelCategory::kEmbedding:
      return "embedding";
    case ModelCategory::kRerank:
      return "rerank";
  }
  return "text-generation";
}

std::optional<ModelCategory> ParseCategory(std::string_view name) {
  for (ModelCategory c : kCategories)
    if (CategoryName(c) == name) return c;
  return std::nullopt;
}

std::span<const ModelCategory> AllCategories() { return kCategories; }

std::span<const std::string_view> KnownCapabilities() { return kCapabilities; }
bool IsKnownCapability(std::string_view name) {
  return std::find(kCapabilities.begin(), kCapabilities.end(), name) != kCapabilities.end();
}

std::span<const std::string_view> KnownEngines() { return kEngines; }
bool IsKnownEngine(std::string_view name) {
  return std::find(kEngines.begin(), kEngines.end(), name) != kEngines.end();
}

std::string_view SourceName(ModelSource source) {
  switch (source) {
    case ModelSource::kCatalog:
      return "catalog";
    case ModelSource::kImport:
      return "import";
    case ModelSource::kDemo:
      return "demo";
  }
  return "import";
}

std::optional<ModelSource> ParseSource(std::string_view name) {
  if (name == "catalog") return ModelSource::kCatalog;
  if (name == "import") return ModelSource::kImport;
  if (name == "demo") return ModelSource::kDemo;
  return std::nullopt;
}

Status CheckModelName(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > 128) return Invalid(field, "must be 1 to 128 characters");
  auto alnum = [](unsigned char c) { return std::isalnum(c) != 0; };
  if (!alnum(static_cast<unsigned char>(name[0])))
    return Invalid(field, "must start with a letter or digit");
  for (unsigned char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-')
      return Invalid(field, "may hold only letters, digits, '.', '_' and '-'");
  return Status::Ok();
}

Status CheckFacts(const ModelFacts& f) {
  HAI_RETURN_IF_ERROR(CheckText("display_name", f.display_name, 1, 128));
  HAI_RETURN_IF_ERROR(CheckWords("capabilities", f.capabilities, kCapabilities));
  HAI_RETURN_IF_ERROR(CheckText("series", f.series, 0, 64));
  HAI_RETURN_IF_ERROR(CheckText("vendor", f.vendor, 0, 64));
  if (f.params_b && !(std::isfinite(*f.params_b) && *f.params_b > 0 && *f.params_b <= 100000))
    return Invalid("params_b", "must be a number of billions above 0 and at most 100000");
  if (f.context_length && (*f.context_length < 1 || *f.context_length > 100'000'000))
    return Invalid("context_length", "must be from 1 to 100000000 tokens");
  HAI_RETURN_IF_ERROR(CheckText("licence", f.licence, 0, 128));
  HAI_RETURN_IF_ERROR(CheckText("introduction", f.introduction, 0, 4000, /*multiline=*/true));
  HAI_RETURN_IF_ERROR(CheckList("use_cases", f.use_cases, 20, 300));
  HAI_RETURN_IF_ERROR(CheckList("highlights", f.highlights, 20, 300));
  HAI_RETURN_IF_ERROR(CheckWords("compatible_engines", f.compatible_engines, kEngines));
  return Status::Ok();
}

Status CheckEvaluationResults(const std::vector<EvaluationResult>& results) {
  if (results.size() > 200) return Invalid("evaluation_results", "holds at most 200 entries");
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string at = "evaluation_results[" + std::to_string(i) + "]";
    HAI_RETURN_IF_ERROR(CheckText(at + ".dataset", results[i].dataset, 1, 128));
    HAI_RETURN_IF_ERROR(CheckText(at + ".metric", results[i].metric, 1, 64));
    HAI_RETURN_IF_ERROR(CheckText(at + ".note", results[i].note, 0, 300));
    if (!std::isfinite(results[i].score)) return Invalid(at + ".score", "must be a finite number");
  }
  return Status::Ok();
}

}  // namespace hai::portal
