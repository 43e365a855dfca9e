// config.json: the Hugging Face fields the engine uses, checked.
#include "lib/checkpoint/model_config.h"

#include <climits>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/tensor_layout.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;

// Typed reads of one config.json object; every error names the file and key.
class ConfigReader {
 public:
  ConfigReader(const json& object, const std::string& file) : object_(object), file_(file) {}

  bool Has(const char* key) const { return object_.contains(key) && !object_[key].is_null(); }

  Status Error(const char* key, const std::string& what) const {
    return Status::InvalidArgument(file_ + ": '" + key + "' " + what, key);
  }

  Result<int> PositiveInt(const char* key) const {
    if (!Has(key)) return Error(key, "is missing");
    return PositiveIntAt(key);
  }

  Result<int> PositiveInt(const char* key, int fallback) const {
    return Has(key) ? PositiveIntAt(key) : Result<int>(fallback);
  }

  Result<double> PositiveNumber(const char* key, double fallback) const {
    if (!Has(key)) return fallback;
    const json& value = object_[key];
    if (!value.is_number() || !(value.get<double>() > 0)) {
      return Error(key, "must be a positive number");
    }
    return value.get<double>();
  }

  bool SetAndNotNull(const char* key) const { return Has(key) && !object_[key].is_null(); }

  Result<bool> Bool(const char* key, bool fallback) const {
    if (!Has(key)) return fallback;
    if (!object_[key].is_boolean()) return Error(key, "must be true or false");
    return object_[key].get<bool>();
  }

  Result<std::string> String(const char* key, const std::string& fallback) const {
    if (!Has(key)) return fallback;
    if (!object_[key].is_string()) return Error(key, "must be a string");
    return object_[key].get<std::string>();
  }

 private:
  Result<int> PositiveIntAt(const char* key) const {
    const json& value = object_[key];
    if (!value.is_number_integer() || value.get<int64_t>() <= 0 || value.get<int64_t>() > INT_MAX) {
      return Error(key, "must be a positive integer");
    }
    return static_cast<int>(value.get<int64_t>());
  }

  const json& object_;
  const std::string& file_;
};

Result<Arch> ParseArch(const ConfigReader& reader, const json& object) {
  if (!reader.Has("model_type")) return reader.Error("model_type", "is missing");
  if (!object["model_type"].is_string()) return reader.Error("model_type", "must be a string");
  const std::string type = object["model_type"].get<std::string>();
  if (type == "llama") return Arch::kLlama;
  if (type == "qwen2") return Arch::kQwen2;
  if (type == "bert") return Arch::kBert;
  return reader.Error("model_type", "is '" + type + "'; supported: llama, qwen2, bert");
}

std::string DefaultArchitecture(Arch arch, int num_labels) {
  switch (arch) {
    case Arch::kLlama:
      return "LlamaForCausalLM";
    case Arch::kQwen2:
      return "Qwen2ForCausalLM";
    case Arch::kBert:
      return num_labels > 0 ? "BertForSequenceClassification" : "BertModel";
  }
  return "";
}

Result<std::string> ParseArchitecture(const ConfigReader& reader, const json& object, Arch arch) {
  if (!reader.Has("architectures")) return DefaultArchitecture(arch, 0);
  const json& list = object["architectures"];
  if (!list.is_array() || list.empty() || !list[0].is_string()) {
    return reader.Error("architectures", "must be a list of class names");
  }
  return list[0].get<std::string>();
}

// A BERT cross-encoder's labels: "num_labels" when written, else the size of
// id2label (what transformers saves); only for *ForSequenceClassification.
Result<int> ParseNumLabels(const ConfigReader& reader, const json& object,
                           const std::string& architecture) {
  if (architecture.find("ForSequenceClassification") == std::string::npos) return 0;
  if (reader.Has("num_labels")) return reader.PositiveInt("num_labels");
  if (reader.Has("id2label")) {
    if (!object["id2label"].is_object() || object["id2label"].empty()) {
      return reader.Error("id2label", "must be a non-empty object");
    }
    return static_cast<int>(object["id2label"].size());
  }
  return 2;  // transformers' default
}

// The activation the engine implements for each architecture.
Status CheckActivation(const ConfigReader& reader, Arch arch) {
  const char* expected = arch == Arch::kBert ? "gelu" : "silu";
  HAI_ASSIGN_OR_RETURN(std::string act, reader.String("hidden_act", expected));
  if (act != expected) return reader.Error("hidden_act", "is '" + act + "'; only " + expected);
  return Status::Ok();
}

Status ParseSizes(const ConfigReader& reader, ModelConfig* c) {
  HAI_ASSIGN_OR_RETURN(c->vocab_size, reader.PositiveInt("vocab_size"));
  HAI_ASSIGN_OR_RETURN(c->hidden_size, reader.PositiveInt("hidden_size"));
  HAI_ASSIGN_OR_RETURN(c->intermediate_size, reader.PositiveInt("intermediate_size"));
  HAI_ASSIGN_OR_RETURN(c->num_layers, reader.PositiveInt("num_hidden_layers"));
  HAI_ASSIGN_OR_RETURN(c->num_heads, reader.PositiveInt("num_attention_heads"));
  HAI_ASSIGN_OR_RETURN(c->max_position, reader.PositiveInt("max_position_embeddings"));
  if (c->arch == Arch::kBert) {
    c->num_kv_heads = c->num_heads;
  } else {
    HAI_ASSIGN_OR_RETURN(c->num_kv_heads, reader.PositiveInt("num_key_value_heads", c->num_heads));
  }
  // An explicit head_dim is the truth (q_proj is heads × head_dim wide);
  // otherwise the heads must split hidden_size evenly.
  if (reader.Has("head_dim")) {
    HAI_ASSIGN_OR_RETURN(c->head_dim, reader.PositiveInt("head_dim"));
  } else {
    if (c->hidden_size % c->num_heads != 0) {
      return reader.Error("num_attention_heads", "(" + std::to_string(c->num_heads) +
                                                     ") does not divide hidden_size (" +
                                                     std::to_string(c->hidden_size) + ")");
    }
    c->head_dim = c->hidden_size / c->num_heads;
  }
  if (c->num_heads % c->num_kv_heads != 0) {
    return reader.Error("num_key_value_heads", "(" + std::to_string(c->num_kv_heads) +
                                                   ") does not divide num_attention_heads (" +
                                                   std::to_string(c->num_heads) + ")");
  }
  return Status::Ok();
}

Status ParseDecoderFields(const ConfigReader& reader, ModelConfig* c) {
  HAI_ASSIGN_OR_RETURN(c->rope_theta, reader.PositiveNumber("rope_theta", 10000.0));
  HAI_ASSIGN_OR_RETURN(c->norm_eps, reader.PositiveNumber("rms_norm_eps", 1e-6));
  HAI_ASSIGN_OR_RETURN(c->tie_word_embeddings, reader.Bool("tie_word_embeddings", false));
  // Refused rather than ignored: plain RoPE over a scaled checkpoint (Llama
  // 3.1's "llama3", YaRN) or full attention over a sliding-window one would
  // load and then answer wrongly.
  if (reader.SetAndNotNull("rope_scaling"))
    return reader.Error("rope_scaling", "is set; RoPE scaling is not supported yet");
  HAI_ASSIGN_OR_RETURN(bool sliding, reader.Bool("use_sliding_window", false));
  if (sliding) return reader.Error("use_sliding_window", "is true; sliding-window attention is not supported");
  // Qwen2 always carries q/k/v biases and has no key for it.
  if (c->arch == Arch::kQwen2) {
    c->attention_bias = true;
  } else {
    HAI_ASSIGN_OR_RETURN(c->attention_bias, reader.Bool("attention_bias", false));
    HAI_ASSIGN_OR_RETURN(bool mlp_bias, reader.Bool("mlp_bias", false));
    if (mlp_bias) return reader.Error("mlp_bias", "is true; MLP biases are not supported");
  }
  return Status::Ok();
}

Status ParseBertFields(const ConfigReader& reader, const json& object, ModelConfig* c) {
  HAI_ASSIGN_OR_RETURN(c->norm_eps, reader.PositiveNumber("layer_norm_eps", 1e-12));
  HAI_ASSIGN_OR_RETURN(c->type_vocab_size, reader.PositiveInt("type_vocab_size", 2));
  HAI_ASSIGN_OR_RETURN(c->num_labels, ParseNumLabels(reader, object, c->architecture));
  HAI_ASSIGN_OR_RETURN(std::string positions, reader.String("position_embedding_type", "absolute"));
  if (positions != "absolute") {
    return reader.Error("position_embedding_type", "is '" + positions + "'; only absolute");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ArchName(Arch arch) {
  switch (arch) {
    case Arch::kLlama:
      return "llama";
    case Arch::kQwen2:
      return "qwen2";
    case Arch::kBert:
      return "bert";
  }
  return "?";
}

Result<ModelConfig> ParseModelConfig(const std::string& json_text, const std::string& file) {
  json object = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    return Status::InvalidArgument(file + ": not a JSON object");
  }
  ConfigReader reader(object, file);
  ModelConfig c;
  HAI_ASSIGN_OR_RETURN(c.arch, ParseArch(reader, object));
  HAI_ASSIGN_OR_RETURN(c.architecture, ParseArchitecture(reader, object, c.arch));
  HAI_RETURN_IF_ERROR(CheckActivation(reader, c.arch));
  HAI_RETURN_IF_ERROR(ParseSizes(reader, &c));
  if (c.arch == Arch::kBert) {
    HAI_RETURN_IF_ERROR(ParseBertFields(reader, object, &c));
  } else {
    HAI_RETURN_IF_ERROR(ParseDecoderFields(reader, &c));
  }
  // transformers ≥ 4.56 writes "dtype"; older versions "torch_dtype".
  const char* dtype_key = reader.Has("torch_dtype") ? "torch_dtype" : "dtype";
  HAI_ASSIGN_OR_RETURN(c.torch_dtype, reader.String(dtype_key, "float32"));
  return c;
}

int64_t ModelConfig::ParameterCount() const {
  int64_t total = 0;
  for (const ExpectedTensor& tensor : ExpectedTensors(*this)) {
    int64_t count = 1;
    for (int64_t dim : tensor.shape) count *= dim;
    total += count;
  }
  return total;
}

}  // namespace hai::checkpoint
