// hai-model inspect: a checkpoint directory summarised for an operator.
#include "daemons/model/model_inspect.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace hai::model {
namespace {

using checkpoint::Arch;
using nlohmann::ordered_json;

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string IdList(const std::vector<int32_t>& ids) {
  std::string text;
  for (int32_t id : ids) {
    if (!text.empty()) text += ' ';
    text += std::to_string(id);
  }
  return text.empty() ? "-" : text;
}

std::string IdText(int32_t id) { return id < 0 ? "-" : std::to_string(id); }

void Line(std::string* out, const char* label, const std::string& value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%-15s", label);
  out->append(buffer).append(value).append("\n");
}

}  // namespace

Result<Inspection> Inspect(const std::string& dir) {
  HAI_ASSIGN_OR_RETURN(auto ckpt, checkpoint::OpenCheckpoint(dir));
  Inspection out;
  out.dir = dir;
  out.config = ckpt->config;
  out.parameters = ckpt->config.ParameterCount();
  for (const checkpoint::TensorView* tensor : ckpt->tensors.All()) {
    ++out.dtypes[std::string(checkpoint::DTypeName(tensor->dtype))];
    out.weight_bytes += static_cast<int64_t>(tensor->size_bytes);
  }
  out.files = ckpt->tensors.files();
  out.tokenizer_vocab = ckpt->tokenizer->vocab_size();
  out.generation = ckpt->generation;
  return out;
}

std::string FormatCount(int64_t count) {
  if (count >= 1000000000) return Format("%.2fB", count / 1e9);
  if (count >= 1000000) return Format("%.1fM", count / 1e6);
  if (count >= 1000) return Format("%.1fK", count / 1e3);
  return std::to_string(count);
}

std::string FormatMiB(int64_t bytes) { return Format("%.1f MiB", bytes / (1024.0 * 1024.0)); }

std::string InspectionText(const Inspection& in) {
  const checkpoint::ModelConfig& c = in.config;
  std::string out;
  Line(&out, "directory", in.dir);
  Line(&out, "architecture",
       std::string(checkpoint::ArchName(c.arch)) + " (" + c.architecture + ")");
  Line(&out, "layers", std::to_string(c.num_layers));
  Line(&out, "hidden", std::to_string(c.hidden_size));
  Line(&out, "heads",
       std::to_string(c.num_heads) + " (kv-heads " + std::to_string(c.num_kv_heads) +
           ", head size " + std::to_string(c.head_dim) + ")");
  Line(&out, "intermediate", std::to_string(c.intermediate_size));
  Line(&out, "vocab", std::to_string(c.vocab_size));
  Line(&out, "max position", std::to_string(c.max_position));
  if (c.is_cross_encoder()) Line(&out, "labels", std::to_string(c.num_labels));
  Line(&out, "parameters", FormatCount(in.parameters) + " (" + std::to_string(in.parameters) + ")");
  std::string dtypes;
  for (const auto& [name, count] : in.dtypes) {
    if (!dtypes.empty()) dtypes += ", ";
    dtypes.append(name).append(" ×").append(std::to_string(count));
  }
  Line(&out, "dtypes", dtypes);
  Line(&out, "weights",
       FormatMiB(in.weight_bytes) + " in " + std::to_string(in.files.size()) +
           (in.files.size() == 1 ? " file" : " files"));
  Line(&out, "tokenizer", std::to_string(in.tokenizer_vocab) + " tokens");
  if (c.arch != Arch::kBert) {
    const checkpoint::GenerationDefaults& g = in.generation;
    Line(&out, "chat format", std::string(tokenizer::ChatFormatName(g.chat_format)));
    Line(&out, "special ids",
         "bos " + IdText(g.bos_token_id) + ", eos " + IdList(g.eos_token_ids) + ", pad " +
             IdText(g.pad_token_id));
  }
  return out;
}

std::string InspectionJson(const Inspection& in) {
  const checkpoint::ModelConfig& c = in.config;
  const checkpoint::GenerationDefaults& g = in.generation;
  ordered_json out = {
      {"dir", in.dir},
      {"arch", checkpoint::ArchName(c.arch)},
      {"architecture", c.architecture},
      {"layers", c.num_layers},
      {"hidden_size", c.hidden_size},
      {"num_heads", c.num_heads},
      {"num_kv_heads", c.num_kv_heads},
      {"head_dim", c.head_dim},
      {"intermediate_size", c.intermediate_size},
      {"vocab_size", c.vocab_size},
      {"max_position", c.max_position},
      {"num_labels", c.num_labels},
      {"parameters", in.parameters},
      {"parameters_text", FormatCount(in.parameters)},
      {"dtypes", in.dtypes},
      {"weight_bytes", in.weight_bytes},
      {"weight_mib", in.weight_bytes / (1024.0 * 1024.0)},
      {"files", in.files},
      {"tokenizer_vocab_size", in.tokenizer_vocab},
      {"chat_format", c.arch == Arch::kBert
                          ? ordered_json(nullptr)
                          : ordered_json(tokenizer::ChatFormatName(g.chat_format))},
      {"bos_token_id", g.bos_token_id},
      {"eos_token_ids", g.eos_token_ids},
      {"pad_token_id", g.pad_token_id},
  };
  // Directory names need not be UTF-8; replace rather than throw.
  return out.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace hai::model
