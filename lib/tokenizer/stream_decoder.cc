#include "lib/tokenizer/tokenizer.h"
#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {

StreamDecoder::StreamDecoder(const Tokenizer* tokenizer, bool skip_special)
    : tokenizer_(tokenizer), skip_special_(skip_special) {}

// Emits every complete character held, U+FFFD for bytes that can no longer
// become one, and keeps back only a character still being spelled out.
std::string StreamDecoder::Push(int32_t id) {
  if (skip_special_ && tokenizer_->IsSpecial(id)) return {};
  pending_.append(tokenizer_->TokenText(id));
  std::string out;
  size_t pos = 0;
  while (pos < pending_.size()) {
    const Utf8Step step = DecodeUtf8(pending_, pos);
    if (step.kind == Utf8Step::kTruncated) break;
    if (step.kind == Utf8Step::kChar)
      out.append(pending_, pos, step.length);
    else
      out.append(kReplacementChar);
    pos += step.length;
  }
  pending_.erase(0, pos);
  return out;
}

std::string StreamDecoder::Flush() {
  std::string out = ReplaceInvalidUtf8(pending_);
  pending_.clear();
  return out;
}

}  // namespace hai::tokenizer
