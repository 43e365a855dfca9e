#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/tokenizer/added_tokens.h"
#include "lib/tokenizer/bert_normalizer.h"
#include "lib/tokenizer/pre_tokenizer.h"
#include "lib/tokenizer/token_model.h"

namespace hai::tokenizer {

enum class ModelKind { kByteLevelBpe, kWordPiece };

// What a tokenizer.json describes, in our types. JSON stops here.
struct TokenizerParts {
  ModelKind kind = ModelKind::kByteLevelBpe;
  std::unique_ptr<TokenModel> model;
  std::unique_ptr<BertNormalizer> normalizer;  // null: text is taken as given
  bool nfc = false;  // an NFC normalizer: plain text is composed first
  PreTokenizer pre_tokenizer;
  // A ByteLevel pre-tokenizer with add_prefix_space: each plain-text segment
  // that does not start with a space gets one (GPT-2 / RoBERTa style).
  bool add_prefix_space = false;
  std::vector<AddedToken> added_tokens;
  // The WordPiece decoder's settings (kWordPiece only).
  std::string wordpiece_prefix = "##";
  bool wordpiece_cleanup = true;
};

// Reads the Hugging Face "tokenizers" format. Two model families:
//  - byte-level BPE (Qwen2, Llama-3, GPT-2): model BPE without byte fallback,
//    normalizer null or NFC, pre_tokenizer of Split / ByteLevel / Digits /
//    Whitespace / WhitespaceSplit (alone or in a Sequence), decoder ByteLevel.
//    NFC is applied with ICU (see nfc.h).
//  - WordPiece (BERT): normalizer BertNormalizer (see bert_normalizer.h for
//    its approximations), pre_tokenizer BertPreTokenizer, decoder WordPiece.
// added_tokens are read for both; the post_processor is read past (callers
// add BOS / [CLS] themselves). Every error message starts with `file` and
// says which field is at fault.
Result<TokenizerParts> ParseTokenizerJson(const std::string& json_text, const std::string& file);

}  // namespace hai::tokenizer
