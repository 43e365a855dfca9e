#include "lib/tokenizer/wordpiece_model.h"

#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  for (size_t pos = text->find(from); pos != std::string::npos; pos = text->find(from, pos)) {
    text->replace(pos, from.size(), to);
    pos += to.size();
  }
}

// Byte offsets of the character boundaries of `word`, its end included.
std::vector<size_t> CharBoundaries(std::string_view word) {
  std::vector<size_t> bounds;
  size_t pos = 0;
  while (pos < word.size()) {
    bounds.push_back(pos);
    const Utf8Step step = DecodeUtf8(word, pos);
    pos += step.length;
  }
  bounds.push_back(word.size());
  return bounds;
}

}  // namespace

Result<std::unique_ptr<WordPieceModel>> WordPieceModel::Build(Vocabulary::Map vocab,
                                                              Options options) {
  HAI_ASSIGN_OR_RETURN(Vocabulary table, Vocabulary::Build(std::move(vocab)));
  const auto unk = table.Find(options.unk_token);
  if (!unk)
    return Status::InvalidArgument("unk_token " + Quoted(options.unk_token) +
                                   " is not in the vocabulary");
  return std::unique_ptr<WordPieceModel>(
      new WordPieceModel(std::move(table), std::move(options), *unk));
}

void WordPieceModel::EncodePiece(std::string_view word, std::vector<int32_t>* out) const {
  if (word.empty()) return;
  const std::vector<size_t> bounds = CharBoundaries(word);
  const size_t chars = bounds.size() - 1;
  if (chars > options_.max_input_chars_per_word) {
    out->push_back(unk_id_);
    return;
  }
  std::vector<int32_t> pieces;
  std::string candidate;
  size_t start = 0;  // index into bounds
  while (start < chars) {
    // The longest entry from `start`, trying ends from the word's end down.
    int32_t found = -1;
    size_t end = chars;
    for (; end > start; --end) {
      candidate.clear();
      if (start > 0) candidate = options_.continuing_subword_prefix;
      candidate.append(word.substr(bounds[start], bounds[end] - bounds[start]));
      if (auto id = vocab_.Find(candidate)) {
        found = *id;
        break;
      }
    }
    if (found < 0) {
      out->push_back(unk_id_);
      return;
    }
    pieces.push_back(found);
    start = end;
  }
  out->insert(out->end(), pieces.begin(), pieces.end());
}

std::string JoinWordPieces(const std::vector<std::string_view>& tokens, std::string_view prefix,
                           bool cleanup) {
  std::string text;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view token = tokens[i];
    if (i > 0) {
      if (!prefix.empty() && token.substr(0, prefix.size()) == prefix)
        token.remove_prefix(prefix.size());
      else
        text.push_back(' ');
    }
    text.append(token);
  }
  if (cleanup) {
    // Hugging Face's clean_up_tokenization, in its order.
    for (const auto& [from, to] :
         std::initializer_list<std::pair<std::string_view, std::string_view>>{{" .", "."},
                                                                              {" ?", "?"},
                                                                              {" !", "!"},
                                                                              {" ,", ","},
                                                                              {" ' ", "'"},
                                                                              {" n't", "n't"},
                                                                              {" 'm", "'m"},
                                                                              {" do not", " don't"},
                                                                              {" 's", "'s"},
                                                                              {" 've", "'ve"},
                                                                              {" 're", "'re"}}) {
      ReplaceAll(&text, from, to);
    }
  }
  return text;
}

}  // namespace hai::tokenizer
