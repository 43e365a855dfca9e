// The tokenizer-side files of a checkpoint made by hai-model init.
#include "daemons/model/tokenizer_files.h"

#include <nlohmann/json.hpp>

#include "daemons/model/chat_templates.h"
#include "daemons/model/init_options.h"
#include "daemons/model/training_corpus.h"

namespace hai::model {
namespace {

using checkpoint::Arch;
using nlohmann::json;

Result<int32_t> IdOf(const tokenizer::Tokenizer& tokenizer, const std::string& token) {
  std::optional<int32_t> id = tokenizer.TokenId(token);
  if (!id) return Status::Internal("the trained tokenizer lacks " + token);
  return *id;
}

}  // namespace

Result<std::string> TrainTokenizerJson(Arch arch, int vocab_size) {
  const std::vector<std::string> specials = SpecialTokens(arch);
  Result<std::string> full = tokenizer::TrainByteLevelBpe(TrainingCorpus(), vocab_size, specials);
  if (full.ok()) return full;
  // The corpus ran out of pairs to merge: find the largest size it allows.
  // Learning is deterministic and a smaller size learns a prefix of the same
  // merges, so the search is monotone.
  int low = MinimumVocab(arch), high = vocab_size - 1;
  Result<std::string> best = tokenizer::TrainByteLevelBpe(TrainingCorpus(), low, specials);
  if (!best.ok()) return best.status();
  while (low < high) {
    const int mid = low + (high - low + 1) / 2;
    Result<std::string> attempt = tokenizer::TrainByteLevelBpe(TrainingCorpus(), mid, specials);
    if (attempt.ok()) {
      low = mid;
      best = std::move(attempt);
    } else {
      high = mid - 1;
    }
  }
  return best;
}

std::string TokenizerConfigJson(const checkpoint::ModelConfig& config) {
  json out = {
      {"clean_up_tokenization_spaces", false},
      {"model_max_length", config.max_position},
      {"tokenizer_class", "PreTrainedTokenizerFast"},
  };
  switch (config.arch) {
    case Arch::kQwen2:
      out["add_bos_token"] = false;
      out["bos_token"] = nullptr;
      out["eos_token"] = "<|im_end|>";
      out["pad_token"] = "<|endoftext|>";
      out["chat_template"] = ChatMLTemplate();
      out["errors"] = "replace";
      out["split_special_tokens"] = false;
      break;
    case Arch::kLlama:
      out["add_bos_token"] = true;
      out["add_eos_token"] = false;
      out["bos_token"] = "<|begin_of_text|>";
      out["eos_token"] = "<|eot_id|>";
      out["chat_template"] = Llama3Template();
      out["model_input_names"] = {"input_ids", "attention_mask"};
      break;
    case Arch::kBert:
      out["cls_token"] = "[CLS]";
      out["sep_token"] = "[SEP]";
      out["pad_token"] = "[PAD]";
      out["unk_token"] = "[UNK]";
      out["mask_token"] = "[MASK]";
      out["do_lower_case"] = false;
      break;
  }
  return out.dump(2) + "\n";
}

Result<std::string> GenerationConfigJson(const checkpoint::ModelConfig& config,
                                         const tokenizer::Tokenizer& tokenizer) {
  json out;
  if (config.arch == Arch::kQwen2) {
    HAI_ASSIGN_OR_RETURN(int32_t end_of_text, IdOf(tokenizer, "<|endoftext|>"));
    HAI_ASSIGN_OR_RETURN(int32_t im_end, IdOf(tokenizer, "<|im_end|>"));
    out = {{"bos_token_id", end_of_text},
           {"eos_token_id", {im_end, end_of_text}},
           {"pad_token_id", end_of_text}};
  } else if (config.arch == Arch::kLlama) {
    HAI_ASSIGN_OR_RETURN(int32_t begin, IdOf(tokenizer, "<|begin_of_text|>"));
    HAI_ASSIGN_OR_RETURN(int32_t end, IdOf(tokenizer, "<|end_of_text|>"));
    HAI_ASSIGN_OR_RETURN(int32_t eot, IdOf(tokenizer, "<|eot_id|>"));
    out = {{"bos_token_id", begin}, {"eos_token_id", {eot, end}}};
  } else {
    return Status::Internal("an encoder has no generation_config.json");
  }
  return out.dump(2) + "\n";
}

}  // namespace hai::model
