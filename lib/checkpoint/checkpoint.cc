// A checkpoint directory opened as a whole: each file read, then the files
// checked against each other.
#include "lib/checkpoint/checkpoint.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/checkpoint_files.h"
#include "lib/checkpoint/file_io.h"
#include "lib/checkpoint/tensor_layout.h"

namespace hai::checkpoint {
namespace {

std::string PathIn(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

// An optional file's text, or "" when it is absent.
Result<std::string> ReadOptional(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok() && text.status().code() == Code::kNotFound) return std::string();
  return text;
}

// A token written in tokenizer_config.json, as an id of the tokenizer.
Result<std::optional<int32_t>> ResolveToken(const tokenizer::Tokenizer& tok,
                                            const std::optional<std::string>& text,
                                            const std::string& file, const char* key) {
  if (!text) return std::optional<int32_t>();
  std::optional<int32_t> id = tok.TokenId(*text);
  if (!id) {
    return Status::InvalidArgument(
        file + ": '" + key + "' is '" + *text + "', which tokenizer.json does not have", key);
  }
  return id;
}

// Special ids, add_bos and the chat format. Ids come from
// generation_config.json first, then tokenizer_config.json, then config.json
// — the order in which transformers' generate() lets them override.
Status ReadGenerationDefaults(const std::string& dir, const std::string& tokenizer_json,
                              Checkpoint* ckpt) {
  const std::string config_path = PathIn(dir, "config.json");
  const std::string tok_path = PathIn(dir, "tokenizer_config.json");
  const std::string gen_path = PathIn(dir, "generation_config.json");
  HAI_ASSIGN_OR_RETURN(std::string config_text, ReadWholeFile(config_path));
  HAI_ASSIGN_OR_RETURN(GenerationConfigFile from_config, ParseSpecialIds(config_text, config_path));
  HAI_ASSIGN_OR_RETURN(std::string tok_text, ReadOptional(tok_path));
  TokenizerConfigFile tok_config;
  if (!tok_text.empty()) {
    HAI_ASSIGN_OR_RETURN(tok_config, ParseTokenizerConfig(tok_text, tok_path));
  }
  HAI_ASSIGN_OR_RETURN(std::string gen_text, ReadOptional(gen_path));
  GenerationConfigFile gen;
  if (!gen_text.empty()) {
    HAI_ASSIGN_OR_RETURN(gen, ParseGenerationConfig(gen_text, gen_path));
  }

  const tokenizer::Tokenizer& tok = *ckpt->tokenizer;
  HAI_ASSIGN_OR_RETURN(auto bos, ResolveToken(tok, tok_config.bos_token, tok_path, "bos_token"));
  HAI_ASSIGN_OR_RETURN(auto eos, ResolveToken(tok, tok_config.eos_token, tok_path, "eos_token"));
  HAI_ASSIGN_OR_RETURN(auto pad, ResolveToken(tok, tok_config.pad_token, tok_path, "pad_token"));
  GenerationDefaults& g = ckpt->generation;
  g.bos_token_id = gen.bos_token_id.value_or(bos.value_or(from_config.bos_token_id.value_or(-1)));
  g.pad_token_id = gen.pad_token_id.value_or(pad.value_or(from_config.pad_token_id.value_or(-1)));
  if (gen.eos_token_ids) {
    g.eos_token_ids = *gen.eos_token_ids;
  } else if (eos) {
    g.eos_token_ids = {*eos};
  } else if (from_config.eos_token_ids) {
    g.eos_token_ids = *from_config.eos_token_ids;
  }
  // Without add_bos_token, BOS is added when tokenizer.json's post-processor
  // would add it (Llama 3), which our tokenizer leaves to its callers.
  if (tok_config.add_bos_token) {
    g.add_bos = *tok_config.add_bos_token && g.bos_token_id >= 0;
  } else {
    g.add_bos = tok_config.bos_token && PostProcessorAddsBos(tokenizer_json, *tok_config.bos_token);
  }
  g.temperature = gen.temperature.value_or(g.temperature);
  g.top_p = gen.top_p.value_or(g.top_p);
  g.top_k = gen.top_k.value_or(g.top_k);
  if (ckpt->config.arch != Arch::kBert) {
    HAI_ASSIGN_OR_RETURN(g.chat_format,
                         tokenizer::DetectChatFormat(tok_config.chat_template, tok_path));
    if (g.chat_format == tokenizer::ChatFormat::kChatML) {
      g.default_system = ExtractDefaultSystem(tok_config.chat_template);
    }
  }
  return Status::Ok();
}

// Every special id must index a row of the embedding.
Status CheckSpecialIds(const std::string& dir, const Checkpoint& ckpt) {
  const GenerationDefaults& g = ckpt.generation;
  const int vocab = ckpt.config.vocab_size;
  auto check = [&](int32_t id, const char* what) -> Status {
    if (id >= vocab) {
      return Status::InvalidArgument(dir + ": " + what + " " + std::to_string(id) +
                                     " is not below config.json vocab_size " +
                                     std::to_string(vocab));
    }
    return Status::Ok();
  };
  HAI_RETURN_IF_ERROR(check(g.bos_token_id, "bos_token_id"));
  HAI_RETURN_IF_ERROR(check(g.pad_token_id, "pad_token_id"));
  for (int32_t id : g.eos_token_ids) HAI_RETURN_IF_ERROR(check(id, "eos_token_id"));
  return Status::Ok();
}

}  // namespace

Result<const TensorView*> RequireWeight(const Checkpoint& checkpoint, const std::string& name,
                                        const std::vector<int64_t>& shape) {
  const TensorSet& tensors = checkpoint.tensors;
  std::string stored = name;
  if (checkpoint.config.arch == Arch::kBert && !tensors.Find(name) &&
      tensors.Find(BertPrefixed(name))) {
    stored = BertPrefixed(name);
  }
  HAI_ASSIGN_OR_RETURN(const TensorView* view, tensors.Require(stored, shape));
  if (view->dtype != DType::kF32 && view->dtype != DType::kF16 && view->dtype != DType::kBF16) {
    return Status::InvalidArgument(view->file + ": tensor '" + stored + "' is " +
                                   std::string(DTypeName(view->dtype)) +
                                   "; weights must be F32, F16 or BF16");
  }
  return view;
}

Result<std::unique_ptr<Checkpoint>> OpenCheckpoint(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Status::NotFound(dir + ": not a checkpoint directory");
  }
  auto ckpt = std::make_unique<Checkpoint>();
  ckpt->dir = dir;
  const std::string config_path = PathIn(dir, "config.json");
  HAI_ASSIGN_OR_RETURN(std::string config_text, ReadWholeFile(config_path));
  HAI_ASSIGN_OR_RETURN(ckpt->config, ParseModelConfig(config_text, config_path));

  const std::string tokenizer_path = PathIn(dir, "tokenizer.json");
  HAI_ASSIGN_OR_RETURN(std::string tokenizer_json, ReadWholeFile(tokenizer_path));
  HAI_ASSIGN_OR_RETURN(ckpt->tokenizer,
                       tokenizer::Tokenizer::FromJson(tokenizer_json, tokenizer_path));
  if (ckpt->tokenizer->vocab_size() > ckpt->config.vocab_size) {
    return Status::InvalidArgument(
        dir + ": tokenizer.json has " + std::to_string(ckpt->tokenizer->vocab_size()) +
        " tokens but config.json vocab_size is " + std::to_string(ckpt->config.vocab_size));
  }
  HAI_RETURN_IF_ERROR(ReadGenerationDefaults(dir, tokenizer_json, ckpt.get()));
  HAI_RETURN_IF_ERROR(CheckSpecialIds(dir, *ckpt));

  HAI_ASSIGN_OR_RETURN(ckpt->tensors, TensorSet::Open(dir));
  for (const ExpectedTensor& expected : ExpectedTensors(ckpt->config)) {
    HAI_RETURN_IF_ERROR(RequireWeight(*ckpt, expected.name, expected.shape).status());
  }
  return ckpt;
}

}  // namespace hai::checkpoint
