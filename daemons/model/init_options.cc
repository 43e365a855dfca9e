// hai-model init's flags → a ModelConfig, with every rule in one place.
#include "daemons/model/init_options.h"

namespace hai::model {
namespace {

using checkpoint::Arch;
using checkpoint::ModelConfig;

// Enough merges that the tokenizer is more than a byte table.
constexpr int kMinimumMerges = 32;

Status FlagError(const std::string& flag, const std::string& what) {
  return Status::InvalidArgument(flag + " " + what, flag);
}

Result<Arch> ParseArchFlag(const std::string& arch) {
  if (arch == "qwen2") return Arch::kQwen2;
  if (arch == "llama") return Arch::kLlama;
  if (arch == "bert") return Arch::kBert;
  return FlagError("--arch", "must be qwen2, llama or bert (got '" + arch + "')");
}

Status CheckPositive(const char* flag, int value) {
  if (value <= 0) return FlagError(flag, "must be positive (got " + std::to_string(value) + ")");
  return Status::Ok();
}

// Flags that only one kind of model has.
Status CheckArchSpecific(const InitOptions& o, Arch arch) {
  if (arch == Arch::kBert) {
    if (o.kv_heads != 0 && o.kv_heads != o.heads) {
      return FlagError("--kv-heads", "must equal --heads for bert (no grouped-query attention)");
    }
    if (o.rope_theta != 0) return FlagError("--rope-theta", "applies to decoders, not bert");
    if (o.tie_embeddings) return FlagError("--tie-embeddings", "applies to decoders, not bert");
    if (o.num_labels < 0) return FlagError("--num-labels", "must not be negative");
  } else {
    if (o.num_labels != 0) return FlagError("--num-labels", "applies to bert only");
    if (o.rope_theta < 0) return FlagError("--rope-theta", "must be positive");
  }
  return Status::Ok();
}

Status CheckShapes(const InitOptions& o, Arch arch, int kv_heads) {
  HAI_RETURN_IF_ERROR(CheckPositive("--layers", o.layers));
  HAI_RETURN_IF_ERROR(CheckPositive("--hidden", o.hidden));
  HAI_RETURN_IF_ERROR(CheckPositive("--heads", o.heads));
  HAI_RETURN_IF_ERROR(CheckPositive("--kv-heads", kv_heads));
  HAI_RETURN_IF_ERROR(CheckPositive("--vocab", o.vocab));
  if (o.intermediate < 0) return FlagError("--intermediate", "must be positive");
  if (o.max_position < 0) return FlagError("--max-position", "must be positive");
  if (o.hidden % o.heads != 0) {
    return FlagError("--heads", std::to_string(o.heads) + " does not divide --hidden " +
                                    std::to_string(o.hidden));
  }
  if (o.heads % kv_heads != 0) {
    return FlagError("--kv-heads", std::to_string(kv_heads) + " does not divide --heads " +
                                       std::to_string(o.heads));
  }
  if (arch != Arch::kBert && (o.hidden / o.heads) % 2 != 0) {
    return FlagError("--heads", "leaves an odd head size " + std::to_string(o.hidden / o.heads) +
                                    "; rotary embeddings need an even one");
  }
  if (o.vocab < MinimumVocab(arch)) {
    return FlagError("--vocab",
                     "must be at least " + std::to_string(MinimumVocab(arch)) +
                         " (256 byte tokens + " + std::to_string(SpecialTokens(arch).size()) +
                         " special tokens + " + std::to_string(kMinimumMerges) + " merges)");
  }
  return Status::Ok();
}

// SwiGLU's customary width: 8H/3 (the same parameter count as a 4H MLP
// without the gate), rounded up to a multiple of 64.
int DefaultIntermediate(Arch arch, int hidden) {
  if (arch == Arch::kBert) return 4 * hidden;
  int64_t width = (int64_t{8} * hidden + 2) / 3;
  return static_cast<int>((width + 63) / 64 * 64);
}

}  // namespace

std::vector<std::string> SpecialTokens(Arch arch) {
  switch (arch) {
    case Arch::kQwen2:
      return {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    case Arch::kLlama:
      return {"<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
              "<|eot_id|>"};
    case Arch::kBert:
      return {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  }
  return {};
}

int MinimumVocab(Arch arch) {
  return 256 + static_cast<int>(SpecialTokens(arch).size()) + kMinimumMerges;
}

Result<checkpoint::DType> WeightDType(const std::string& name) {
  if (name == "f32") return checkpoint::DType::kF32;
  if (name == "bf16") return checkpoint::DType::kBF16;
  if (name == "f16") return checkpoint::DType::kF16;
  return FlagError("--dtype", "must be f32, bf16 or f16 (got '" + name + "')");
}

Result<ModelConfig> ConfigFromOptions(const InitOptions& o) {
  if (o.out.empty()) return FlagError("--out", "is required");
  HAI_ASSIGN_OR_RETURN(Arch arch, ParseArchFlag(o.arch));
  const int kv_heads = o.kv_heads == 0 ? o.heads : o.kv_heads;
  HAI_RETURN_IF_ERROR(CheckArchSpecific(o, arch));
  HAI_RETURN_IF_ERROR(CheckShapes(o, arch, kv_heads));
  HAI_ASSIGN_OR_RETURN(checkpoint::DType dtype, WeightDType(o.dtype));

  ModelConfig c;
  c.arch = arch;
  c.num_labels = arch == Arch::kBert ? o.num_labels : 0;
  c.architecture = arch == Arch::kQwen2   ? "Qwen2ForCausalLM"
                   : arch == Arch::kLlama ? "LlamaForCausalLM"
                   : c.num_labels > 0     ? "BertForSequenceClassification"
                                          : "BertModel";
  c.vocab_size = o.vocab;
  c.hidden_size = o.hidden;
  c.intermediate_size = o.intermediate > 0 ? o.intermediate : DefaultIntermediate(arch, o.hidden);
  c.num_layers = o.layers;
  c.num_heads = o.heads;
  c.num_kv_heads = kv_heads;
  c.head_dim = o.hidden / o.heads;
  c.max_position = o.max_position > 0 ? o.max_position : (arch == Arch::kBert ? 512 : 8192);
  if (arch != Arch::kBert) {
    c.rope_theta = o.rope_theta > 0 ? o.rope_theta : (arch == Arch::kQwen2 ? 1e6 : 500000.0);
  }
  c.norm_eps = arch == Arch::kBert ? 1e-12 : 1e-6;
  c.tie_word_embeddings = o.tie_embeddings;
  c.attention_bias = arch == Arch::kQwen2;
  c.torch_dtype = dtype == checkpoint::DType::kF32    ? "float32"
                  : dtype == checkpoint::DType::kBF16 ? "bfloat16"
                                                      : "float16";
  c.type_vocab_size = 2;
  return c;
}

}  // namespace hai::model
