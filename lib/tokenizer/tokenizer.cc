#include "lib/tokenizer/tokenizer.h"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "lib/tokenizer/added_tokens.h"
#include "lib/tokenizer/bert_normalizer.h"
#include "lib/tokenizer/nfc.h"
#include "lib/tokenizer/byte_level.h"
#include "lib/tokenizer/pre_tokenizer.h"
#include "lib/tokenizer/tokenizer_json.h"
#include "lib/tokenizer/utf8.h"
#include "lib/tokenizer/wordpiece_model.h"

namespace hai::tokenizer {

struct Tokenizer::Impl {
  ModelKind kind = ModelKind::kByteLevelBpe;
  std::unique_ptr<TokenModel> model;
  std::unique_ptr<BertNormalizer> normalizer;
  bool nfc = false;
  PreTokenizer pre_tokenizer;
  bool add_prefix_space = false;
  AddedTokenMatcher added;
  std::unordered_map<std::string, int32_t> added_ids;  // by content
  std::string wordpiece_prefix;
  bool wordpiece_cleanup = true;
  // By id: the text each token stands for (raw bytes for byte-level BPE,
  // the vocabulary entry for WordPiece), and whether it is special.
  std::vector<std::string> text;
  std::vector<bool> special;

  void EncodePlain(std::string_view segment, std::vector<int32_t>* out) const {
    std::string normalized;
    if (nfc) {
      normalized = Nfc(segment);
      segment = normalized;
    }
    if (normalizer) {
      normalized = normalizer->Normalize(segment);
      segment = normalized;
    }
    std::string with_space;
    if (add_prefix_space && !segment.empty() && segment.front() != ' ') {
      with_space.reserve(segment.size() + 1);
      with_space.push_back(' ');
      with_space.append(segment);
      segment = with_space;
    }
    for (std::string_view piece : pre_tokenizer.Split(segment)) model->EncodePiece(piece, out);
  }

  bool Known(int32_t id) const { return id >= 0 && static_cast<size_t>(id) < text.size(); }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Result<std::unique_ptr<Tokenizer>> Tokenizer::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Unavailable(path + ": read failed");
  return FromJson(text.str(), path);
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::FromJson(const std::string& json_text,
                                                       const std::string& file) {
  HAI_ASSIGN_OR_RETURN(TokenizerParts parts, ParseTokenizerJson(json_text, file));
  auto impl = std::make_unique<Impl>();
  int32_t max_id = parts.model->max_id();
  for (const AddedToken& token : parts.added_tokens) max_id = std::max(max_id, token.id);
  impl->text.resize(max_id + 1);
  impl->special.resize(max_id + 1);
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  for (int32_t id = 0; id <= parts.model->max_id(); ++id) {
    const std::string* token = parts.model->TokenString(id);
    if (token == nullptr) continue;
    // A byte-level entry outside the alphabet (rare, hand-edited files) is
    // taken as the text it spells, as Hugging Face's decoder does.
    impl->text[id] = parts.kind == ModelKind::kByteLevelBpe
                         ? alphabet.FromAlphabet(*token).value_or(*token)
                         : *token;
  }
  // Added tokens are plain text, not alphabet spellings.
  for (const AddedToken& token : parts.added_tokens) {
    impl->text[token.id] = token.content;
    impl->special[token.id] = token.special;
    impl->added_ids.try_emplace(token.content, token.id);
  }
  impl->kind = parts.kind;
  impl->model = std::move(parts.model);
  impl->normalizer = std::move(parts.normalizer);
  impl->nfc = parts.nfc;
  impl->pre_tokenizer = std::move(parts.pre_tokenizer);
  impl->add_prefix_space = parts.add_prefix_space;
  impl->added = AddedTokenMatcher(std::move(parts.added_tokens));
  impl->wordpiece_prefix = std::move(parts.wordpiece_prefix);
  impl->wordpiece_cleanup = parts.wordpiece_cleanup;
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

// Invalid UTF-8 in the input becomes U+FFFD first (the pre-tokenizer's
// expression needs valid text); so decode(encode(s)) == s exactly when s is
// valid UTF-8, and == ReplaceInvalidUtf8(s) otherwise.
std::vector<int32_t> Tokenizer::Encode(std::string_view text, bool special) const {
  std::vector<int32_t> ids;
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = ReplaceInvalidUtf8(text);
    text = repaired;
  }
  ids.reserve(text.size() / 3 + 1);
  for (const TextSegment& segment : impl_->added.Split(text, special)) {
    if (segment.token_id >= 0)
      ids.push_back(segment.token_id);
    else
      impl_->EncodePlain(segment.text, &ids);
  }
  return ids;
}

// Ids outside the vocabulary are left out; the result is always valid UTF-8
// (a model can end on half a character), with U+FFFD where bytes do not form
// characters, as Hugging Face's decode does.
std::string Tokenizer::Decode(std::span<const int32_t> ids, bool skip_special) const {
  std::vector<std::string_view> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    if (!impl_->Known(id) || (skip_special && impl_->special[id])) continue;
    tokens.push_back(impl_->text[id]);
  }
  if (impl_->kind == ModelKind::kWordPiece)
    return JoinWordPieces(tokens, impl_->wordpiece_prefix, impl_->wordpiece_cleanup);
  std::string out;
  for (std::string_view token : tokens) out.append(token);
  return ReplaceInvalidUtf8(out);
}

int32_t Tokenizer::vocab_size() const { return static_cast<int32_t>(impl_->text.size()); }

std::optional<int32_t> Tokenizer::TokenId(std::string_view token) const {
  auto it = impl_->added_ids.find(std::string(token));
  if (it != impl_->added_ids.end()) return it->second;
  return impl_->model->TokenId(token);
}

std::string Tokenizer::TokenText(int32_t id) const {
  if (!impl_->Known(id)) return {};
  std::string_view text = impl_->text[id];
  const std::string_view prefix = impl_->wordpiece_prefix;
  if (impl_->kind == ModelKind::kWordPiece && !prefix.empty() &&
      text.substr(0, prefix.size()) == prefix) {
    text.remove_prefix(prefix.size());
  }
  return std::string(text);
}

bool Tokenizer::IsSpecial(int32_t id) const { return impl_->Known(id) && impl_->special[id]; }

}  // namespace hai::tokenizer
