#include "daemons/portal/model_checkpoint_check.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/checkpoint.h"
#include "lib/checkpoint/file_io.h"
#include "lib/checkpoint/model_config.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::array<std::string_view, 27> kModelTypes = {
    "llama",      "qwen2",       "bert",        "qwen2_moe", "qwen3", "qwen3_moe", "qwen2_vl",
    "qwen2_5_vl", "deepseek_v2", "deepseek_v3", "chatglm",   "glm",   "glm4",      "baichuan",
    "internlm2",  "internlm3",   "mistral",     "mixtral",   "gemma", "gemma2",    "gemma3",
    "phi3",       "minicpm",     "xlm-roberta", "roberta",   "yi",    "telechat"};

Status Bad(const std::string& what) { return Status::InvalidArgument(what, "path"); }

// Library errors as the import's 400s (their text already names the file).
Status AsBad(const Status& st) { return st.ok() ? st : Bad(st.message()); }

std::string PathIn(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

bool Exists(const std::string& dir, const std::string& name) {
  std::error_code ec;
  return fs::is_regular_file(PathIn(dir, name), ec);
}

std::optional<int64_t> PositiveInt(const json& config, const char* key) {
  auto it = config.find(key);
  if (it == config.end() || !it->is_number_integer() || it->get<int64_t>() <= 0)
    return std::nullopt;
  return it->get<int64_t>();
}

Status ReadConfig(const std::string& dir, CheckpointFacts* facts, json* config) {
  const std::string path = PathIn(dir, "config.json");
  Result<std::string> text = checkpoint::ReadWholeFile(path);
  if (!text.ok() && text.status().code() == Code::kNotFound)
    return Bad(path + ": missing (a Hugging Face model folder has config.json beside its weights)");
  if (!text.ok()) return AsBad(text.status());
  *config = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (config->is_discarded() || !config->is_object()) return Bad(path + ": not a JSON object");
  auto type = config->find("model_type");
  if (type == config->end() || !type->is_string())
    return Bad(path + ": 'model_type' is missing or not a string");
  facts->model_type = type->get<std::string>();
  if (std::find(kModelTypes.begin(), kModelTypes.end(), facts->model_type) == kModelTypes.end()) {
    std::string known;
    for (std::string_view t : kModelTypes) known += (known.empty() ? "" : ", ") + std::string(t);
    return Bad(path + ": model_type '" + facts->model_type +
               "' is not a recognised architecture (recognised: " + known + ")");
  }
  auto arch = config->find("architectures");
  if (arch != config->end() && arch->is_array() && !arch->empty() && (*arch)[0].is_string())
    facts->architecture = (*arch)[0].get<std::string>();
  for (const char* key : {"max_position_embeddings", "seq_length", "max_sequence_length"})
    if (auto v = PositiveInt(*config, key)) {
      facts->context_length = v;
      break;
    }
  return Status::Ok();
}

// Every *.safetensors below the top level; the top level is read as one
// TensorSet (shards and index) by the caller.
Status CheckNestedWeights(const std::string& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it.depth() == 0 || it->path().extension() != ".safetensors") continue;
    auto file = checkpoint::SafetensorsFile::Open(it->path().string());
    if (!file.ok()) return AsBad(file.status());
  }
  if (ec) return Bad(dir + ": cannot read: " + ec.message());
  return Status::Ok();
}

Status CheckWeights(const std::string& dir, CheckpointFacts* facts) {
  auto set = checkpoint::TensorSet::Open(dir);
  if (!set.ok() && set.status().code() == Code::kNotFound) {
    bool pickled = Exists(dir, "pytorch_model.bin") || Exists(dir, "pytorch_model.bin.index.json");
    return Bad(dir + ": no *.safetensors weights" +
               (pickled ? " (pytorch_model.bin found: convert it to safetensors first; pickled "
                          "weights can run code and are not accepted)"
                        : ""));
  }
  if (!set.ok()) return AsBad(set.status());
  int64_t elements = 0;
  for (const checkpoint::TensorView* t : set->All()) elements += t->NumElements();
  if (elements == 0) return Bad(dir + ": the *.safetensors files hold no weights");
  facts->params_b = static_cast<double>(elements) / 1e9;
  return CheckNestedWeights(dir);
}

Status CheckTokenizer(const std::string& dir) {
  const std::string path = PathIn(dir, "tokenizer.json");
  if (Exists(dir, "tokenizer.json")) {
    if (tokenizer::Tokenizer::Load(path).ok()) return Status::Ok();
    // Formats our tokenizer does not implement (SentencePiece Unigram) still
    // must be a tokenizer description.
    auto text = checkpoint::ReadWholeFile(path);
    if (!text.ok()) return AsBad(text.status());
    json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    const json* model = doc.is_object() && doc.contains("model") ? &doc["model"] : nullptr;
    if (!model || !model->is_object() || !model->contains("type") || !model->contains("vocab"))
      return Bad(path + ": not a tokenizer description (no model with a type and a vocab)");
    return Status::Ok();
  }
  if (Exists(dir, "tokenizer.model") || Exists(dir, "vocab.txt") ||
      (Exists(dir, "vocab.json") && Exists(dir, "merges.txt")))
    return Status::Ok();
  return Bad(dir +
             ": no tokenizer (tokenizer.json, or tokenizer.model, vocab.json with "
             "merges.txt, or vocab.txt)");
}

void ImplyCard(const std::string& dir, const json& config, CheckpointFacts* facts) {
  const std::string& t = facts->model_type;
  if (t == "bert" || t == "xlm-roberta" || t == "roberta") {
    bool classifier = facts->architecture.find("ForSequenceClassification") != std::string::npos;
    facts->category = classifier ? ModelCategory::kRerank : ModelCategory::kEmbedding;
    return;
  }
  facts->category = ModelCategory::kTextGeneration;
  auto tok = checkpoint::ReadWholeFile(PathIn(dir, "tokenizer_config.json"));
  json tc = tok.ok() ? json::parse(*tok, nullptr, false) : json();
  bool has_template =
      tc.is_object() && tc.contains("chat_template") && !tc["chat_template"].is_null();
  if (has_template || Exists(dir, "chat_template.jinja") || Exists(dir, "chat_template.json"))
    facts->capabilities.push_back("chat");
  if (t == "qwen2_vl" || t == "qwen2_5_vl" || config.contains("vision_config"))
    facts->capabilities.push_back("vision");
}

}  // namespace

std::span<const std::string_view> RecognisedModelTypes() { return kModelTypes; }

Result<CheckpointFacts> CheckCheckpoint(const std::string& dir) {
  CheckpointFacts facts;
  json config;
  HAI_RETURN_IF_ERROR(ReadConfig(dir, &facts, &config));
  HAI_RETURN_IF_ERROR(CheckWeights(dir, &facts));
  HAI_RETURN_IF_ERROR(CheckTokenizer(dir));
  // A config the engine accepts must open completely: from here a failure
  // is a broken checkpoint, not a model the engine does not know.
  auto engine_config = checkpoint::ParseModelConfig(config.dump(), PathIn(dir, "config.json"));
  if (engine_config.ok()) {
    auto opened = checkpoint::OpenCheckpoint(dir);
    if (!opened.ok()) return AsBad(opened.status());
    facts.builtin_ready = true;
  } else {
    facts.builtin_note = engine_config.status().message();
  }
  ImplyCard(dir, config, &facts);
  return facts;
}

}  // namespace hai::portal
