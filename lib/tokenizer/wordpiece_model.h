#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "lib/tokenizer/token_model.h"
#include "lib/tokenizer/vocabulary.h"

namespace hai::tokenizer {

// BERT's WordPiece: each word becomes the longest vocabulary entry that
// starts it, then the longest "##"-prefixed entry that continues it, and so
// on; a word that cannot be covered (or is too long) becomes the unknown
// token as a whole. Immutable after Build().
class WordPieceModel : public TokenModel {
 public:
  struct Options {
    std::string unk_token = "[UNK]";
    std::string continuing_subword_prefix = "##";
    size_t max_input_chars_per_word = 100;
  };

  // Fails when the vocabulary is malformed or lacks the unknown token.
  static Result<std::unique_ptr<WordPieceModel>> Build(Vocabulary::Map vocab, Options options);

  void EncodePiece(std::string_view word, std::vector<int32_t>* out) const override;
  std::optional<int32_t> TokenId(std::string_view token) const override {
    return vocab_.Find(token);
  }
  const std::string* TokenString(int32_t id) const override { return vocab_.Token(id); }
  int32_t max_id() const override { return vocab_.max_id(); }
  const Options& options() const { return options_; }

 private:
  WordPieceModel(Vocabulary vocab, Options options, int32_t unk_id)
      : vocab_(std::move(vocab)), options_(std::move(options)), unk_id_(unk_id) {}
  Vocabulary vocab_;
  Options options_;
  int32_t unk_id_;
};

// Hugging Face's WordPiece decoder: tokens after the first are joined with a
// space unless they carry `prefix` (which is dropped); with `cleanup`, the
// spaces English tokenization put before punctuation and contractions go.
std::string JoinWordPieces(const std::vector<std::string_view>& tokens, std::string_view prefix,
                           bool cleanup);

}  // namespace hai::tokenizer
