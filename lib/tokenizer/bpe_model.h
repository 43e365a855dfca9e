#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lib/base/status.h"
#include "lib/tokenizer/piece_cache.h"
#include "lib/tokenizer/token_model.h"
#include "lib/tokenizer/vocabulary.h"

namespace hai::tokenizer {

// The vocabulary and merge ranks of a byte-level BPE model, and the merge
// loop that turns one pre-tokenized piece into ids. Tokens are spelled in the
// byte-level alphabet (see byte_level.h), as tokenizer.json stores them.
//
// Thread safety: immutable after Build() except the piece cache, which has
// its own lock; Encode from any number of threads.
class BpeModel : public TokenModel {
 public:
  struct Options {
    // Llama-3: a piece that is itself in the vocabulary is taken whole, even
    // if the merges would reach it differently or not at all.
    bool ignore_merges = false;
    // Where a byte has no token: that id, or (none) the byte is left out,
    // which is what Hugging Face does without an unk_token.
    std::optional<int32_t> unk_id;
  };
  using Merge = std::pair<std::string, std::string>;

  // `merges` in rank order (first = applied first). Fails, saying which entry,
  // on a negative or repeated id, or a merge whose parts or result are not in
  // the vocabulary.
  static Result<std::unique_ptr<BpeModel>> Build(Vocabulary::Map vocab,
                                                 const std::vector<Merge>& merges, Options options);
  ~BpeModel() override;

  // Appends the ids of `piece` (raw bytes; any bytes).
  void EncodePiece(std::string_view piece, std::vector<int32_t>* out) const override;

  std::optional<int32_t> TokenId(std::string_view token) const override;
  // The token's spelling in the byte-level alphabet; nullptr for an id not in
  // the vocabulary.
  const std::string* TokenString(int32_t id) const override;
  int32_t max_id() const override { return vocab_.max_id(); }
  size_t merge_count() const { return merges_.size(); }

 private:
  struct MergeResult {
    int32_t rank;
    int32_t id;
  };
  explicit BpeModel(Options options);
  static uint64_t PairKey(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
  }
  const MergeResult* FindMerge(int32_t left, int32_t right) const;
  void MergeSymbols(std::vector<int32_t>* ids) const;

  Options options_;
  Vocabulary vocab_;
  std::unordered_map<uint64_t, MergeResult> merges_;
  std::array<int32_t, 256> byte_ids_;  // the token of each single byte, -1 if none
  mutable PieceCache cache_;
};

}  // namespace hai::tokenizer
