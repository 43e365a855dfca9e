#pragma once

#include <locale.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lib/base/status.h"
#include "lib/tokenizer/regex.h"

namespace hai::tokenizer {

// BERT's text clean-up before WordPiece, as tokenizer.json's BertNormalizer
// configures it. Steps, in Hugging Face's order:
//   clean_text            control and format characters (and U+FFFD) go,
//                         every whitespace character becomes ' '
//   handle_chinese_chars  a space on each side of every CJK ideograph
//   strip_accents         letters lose their accents (default: as lowercase)
//   lowercase
// Without a Unicode normalisation library two steps are approximations:
// strip_accents drops every combining mark (\p{Mn}) and decomposes the
// precomposed letters of Latin-1 and Latin Extended-A (U+00C0-U+017F, e.g.
// é, ñ, č, ő); other precomposed letters (Vietnamese, Greek tonos) keep their
// accents. lowercase uses the C library's Unicode table (simple case
// mapping; ASCII only where no UTF-8 locale is installed).
// Immutable after Create(); safe to share across threads.
class BertNormalizer {
 public:
  struct Options {
    bool clean_text = true;
    bool handle_chinese_chars = true;
    std::optional<bool> strip_accents;  // unset: follow lowercase
    bool lowercase = true;
  };

  static Result<std::unique_ptr<BertNormalizer>> Create(Options options);
  ~BertNormalizer();

  // `text` must be valid UTF-8; so is the result.
  std::string Normalize(std::string_view text) const;

 private:
  BertNormalizer(Options options, std::unique_ptr<Regex> other, std::unique_ptr<Regex> marks);
  char32_t Lower(char32_t cp) const;

  Options options_;
  std::unique_ptr<Regex> other_;  // \p{C}: control, format, unassigned, private use
  std::unique_ptr<Regex> marks_;  // \p{Mn}: combining marks
  locale_t locale_ = static_cast<locale_t>(nullptr);  // for towlower_l; null: ASCII only
};

}  // namespace hai::tokenizer
