#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::tokenizer {

// What turns one pre-tokenized piece into ids: byte-level BPE (bpe_model.h)
// or WordPiece (wordpiece_model.h). Implementations are immutable after they
// are built, apart from internal caches with their own locks, so one model
// serves every thread.
class TokenModel {
 public:
  virtual ~TokenModel() = default;

  // Appends the ids of `piece` (valid UTF-8 for WordPiece; any bytes for BPE).
  virtual void EncodePiece(std::string_view piece, std::vector<int32_t>* out) const = 0;
  // A token as the vocabulary spells it.
  virtual std::optional<int32_t> TokenId(std::string_view token) const = 0;
  // The vocabulary's spelling of `id`; nullptr for an id it does not have.
  virtual const std::string* TokenString(int32_t id) const = 0;
  virtual int32_t max_id() const = 0;  // -1 for an empty vocabulary
};

}  // namespace hai::tokenizer
