#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::tokenizer {

// A byte-level BPE tokenizer as described by a Hugging Face tokenizer.json
// (the formats read are listed in tokenizer_json.h):
// added tokens (special or not) split the text first, the pre-tokenizer's
// regular expression (Qwen2 / Llama-3 rules, PCRE2 with Unicode classes)
// splits the rest, each piece is mapped to the byte-level alphabet and merged
// by rank. BERT's WordPiece tokenizers load too (normalizer, punctuation
// split, longest-match pieces). Immutable after Load(), so one instance
// serves every thread.
class Tokenizer {
 public:
  static Result<std::unique_ptr<Tokenizer>> Load(const std::string& path);
  static Result<std::unique_ptr<Tokenizer>> FromJson(const std::string& json_text,
                                                     const std::string& file);
  ~Tokenizer();

  // `special`: whether added special tokens written in the text ("<|im_end|>")
  // become their ids (true for rendered chat templates) or are encoded as
  // plain text (false for user-supplied raw strings where that matters).
  // Non-special added tokens are always recognised. Invalid UTF-8 in `text`
  // is first replaced by U+FFFD; no BOS / [CLS] is added. An NFC normalizer
  // (Qwen2) composes plain text before splitting (added tokens are matched
  // on the text as given).
  std::vector<int32_t> Encode(std::string_view text, bool special = true) const;
  // Always valid UTF-8: bytes that do not form characters become U+FFFD.
  // Ids outside the vocabulary are skipped. So decode(encode(s)) == s for
  // valid UTF-8 s with byte-level BPE (WordPiece loses case and spacing).
  std::string Decode(std::span<const int32_t> ids, bool skip_special = false) const;

  int32_t vocab_size() const;  // highest id + 1, added tokens included
  // An added token's content, or a vocabulary entry as tokenizer.json spells
  // it (byte-level alphabet: "Ġthe" for " the").
  std::optional<int32_t> TokenId(std::string_view token) const;
  // The raw bytes the token stands for (may be part of a UTF-8 character;
  // WordPiece: the piece without its "##"); "" for an unknown id.
  std::string TokenText(int32_t id) const;
  bool IsSpecial(int32_t id) const;

 private:
  struct Impl;
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Turns a growing token sequence into text pieces without splitting a UTF-8
// character across pieces (for streaming).
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer* tokenizer, bool skip_special = true);
  std::string Push(int32_t id);  // text that became complete, possibly ""
  std::string Flush();           // whatever is left, invalid bytes as U+FFFD

 private:
  const Tokenizer* tokenizer_;
  bool skip_special_;
  std::string pending_;
};

// Learns a byte-level BPE vocabulary of `vocab_size` entries (256 byte tokens
// + merges + `special_tokens`) from `corpus`, deterministically, and returns
// tokenizer.json text using the Qwen2 pre-tokenizer. For hai-model init.
Result<std::string> TrainByteLevelBpe(std::string_view corpus, int vocab_size,
                                      const std::vector<std::string>& special_tokens);

}  // namespace hai::tokenizer
