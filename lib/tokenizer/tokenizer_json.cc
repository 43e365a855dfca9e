#include "lib/tokenizer/tokenizer_json.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>

#include "lib/tokenizer/bpe_model.h"
#include "lib/tokenizer/json_fields.h"
#include "lib/tokenizer/pre_tokenizer_json.h"
#include "lib/tokenizer/vocabulary.h"
#include "lib/tokenizer/wordpiece_model.h"

namespace hai::tokenizer {
namespace {

using nlohmann::json;

// "type" of an optional component object; "" when the component is null.
Result<std::string> ComponentType(const JsonFields& root, const char* key) {
  const json* node = nullptr;
  HAI_RETURN_IF_ERROR(root.Object(key, &node, false));
  if (node == nullptr) return std::string();
  std::string type;
  HAI_RETURN_IF_ERROR(JsonFields(*node, key).String("type", &type, true));
  return type;
}

// NFC (alone or in a Sequence) sets `nfc`; BertNormalizer sets `bert` (once).
Status ReadNormalizer(const json& node, const std::string& where,
                      std::optional<BertNormalizer::Options>* bert, bool* nfc) {
  const JsonFields fields(node, where);
  std::string type;
  HAI_RETURN_IF_ERROR(fields.String("type", &type, true));
  if (type == "NFC") {
    *nfc = true;
    return Status::Ok();
  }
  if (type == "BertNormalizer") {
    if (bert->has_value()) return Status::InvalidArgument(where + ": a second BertNormalizer");
    BertNormalizer::Options options;
    HAI_RETURN_IF_ERROR(fields.Bool("clean_text", &options.clean_text));
    HAI_RETURN_IF_ERROR(fields.Bool("handle_chinese_chars", &options.handle_chinese_chars));
    HAI_RETURN_IF_ERROR(fields.Bool("lowercase", &options.lowercase));
    if (!fields.IsMissing("strip_accents")) {
      bool strip = false;
      HAI_RETURN_IF_ERROR(fields.Bool("strip_accents", &strip));
      options.strip_accents = strip;
    }
    *bert = options;
    return Status::Ok();
  }
  if (type == "Sequence") {
    const json* steps = nullptr;
    HAI_RETURN_IF_ERROR(fields.Array("normalizers", &steps, true));
    for (size_t i = 0; i < steps->size(); ++i) {
      HAI_RETURN_IF_ERROR(ReadNormalizer(
          (*steps)[i], fields.Path("normalizers") + "[" + std::to_string(i) + "]", bert, nfc));
    }
    return Status::Ok();
  }
  return Status::InvalidArgument(where + " type '" + type + "' is not supported");
}

// The decoder must be the model's own: ByteLevel for byte-level BPE,
// WordPiece for WordPiece (alone or in a Sequence).
Status ReadDecoder(const json& node, const std::string& where, TokenizerParts* parts) {
  const JsonFields fields(node, where);
  std::string type;
  HAI_RETURN_IF_ERROR(fields.String("type", &type, true));
  if (type == "Sequence") {
    const json* steps = nullptr;
    HAI_RETURN_IF_ERROR(fields.Array("decoders", &steps, true));
    for (size_t i = 0; i < steps->size(); ++i) {
      HAI_RETURN_IF_ERROR(
          ReadDecoder((*steps)[i], fields.Path("decoders") + "[" + std::to_string(i) + "]", parts));
    }
    return Status::Ok();
  }
  if (type == "ByteLevel" && parts->kind == ModelKind::kByteLevelBpe) return Status::Ok();
  if (type == "WordPiece" && parts->kind == ModelKind::kWordPiece) {
    HAI_RETURN_IF_ERROR(fields.String("prefix", &parts->wordpiece_prefix, false));
    return fields.Bool("cleanup", &parts->wordpiece_cleanup);
  }
  return Status::InvalidArgument(
      where + " type '" + type + "' is not supported (only " +
      (parts->kind == ModelKind::kWordPiece ? "WordPiece" : "ByteLevel") + " with this model)");
}

Status ReadVocab(const json& vocab, Vocabulary::Map* out) {
  out->reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const json& id = it.value();
    const bool in_range =
        id.is_number_unsigned()
            ? id.get<uint64_t>() <= uint64_t(INT32_MAX)
            : id.is_number_integer() && id.get<int64_t>() >= 0 && id.get<int64_t>() <= INT32_MAX;
    if (!in_range) {
      return Status::InvalidArgument("model.vocab '" + it.key() +
                                     "' must have an id between 0 and 2^31-1");
    }
    out->emplace(it.key(), static_cast<int32_t>(id.get<int64_t>()));
  }
  return Status::Ok();
}

// Merges are "left right" strings (the byte-level alphabet has no space) or,
// in newer files, [left, right] pairs.
Status ReadMerges(const json& merges, std::vector<BpeModel::Merge>* out) {
  out->reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const json& m = merges[i];
    auto where = [i] { return "model.merges[" + std::to_string(i) + "]"; };
    if (m.is_string()) {
      const std::string& text = m.get_ref<const std::string&>();
      const size_t space = text.find(' ');
      if (space == std::string::npos || space == 0 || space + 1 == text.size() ||
          text.find(' ', space + 1) != std::string::npos) {
        return Status::InvalidArgument(where() + " '" + text + "' is not two tokens");
      }
      out->emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out->emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      return Status::InvalidArgument(where() + " must be \"a b\" or [\"a\", \"b\"]");
    }
  }
  return Status::Ok();
}

Status ReadBpe(const JsonFields& fields, TokenizerParts* parts) {
  bool byte_fallback = false;
  HAI_RETURN_IF_ERROR(fields.Bool("byte_fallback", &byte_fallback));
  if (byte_fallback)
    return Status::InvalidArgument(
        "model.byte_fallback (SentencePiece-style BPE) is not supported");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    std::string affix;
    HAI_RETURN_IF_ERROR(fields.String(key, &affix, false));
    if (!affix.empty()) return Status::InvalidArgument(fields.Path(key) + " is not supported");
  }
  BpeModel::Options options;
  HAI_RETURN_IF_ERROR(fields.Bool("ignore_merges", &options.ignore_merges));
  const json* vocab_json = nullptr;
  const json* merges_json = nullptr;
  HAI_RETURN_IF_ERROR(fields.Object("vocab", &vocab_json, true));
  HAI_RETURN_IF_ERROR(fields.Array("merges", &merges_json, true));
  Vocabulary::Map vocab;
  std::vector<BpeModel::Merge> merges;
  HAI_RETURN_IF_ERROR(ReadVocab(*vocab_json, &vocab));
  HAI_RETURN_IF_ERROR(ReadMerges(*merges_json, &merges));
  std::string unk;
  HAI_RETURN_IF_ERROR(fields.String("unk_token", &unk, false));
  if (!fields.IsMissing("unk_token")) {
    auto it = vocab.find(unk);
    if (it == vocab.end())
      return Status::InvalidArgument("model.unk_token '" + unk + "' is not in model.vocab");
    options.unk_id = it->second;
  }
  auto built = BpeModel::Build(std::move(vocab), merges, options);
  if (!built.ok()) return Status::InvalidArgument("model: " + built.status().message());
  parts->model = std::move(built).value();
  return Status::Ok();
}

Status ReadWordPiece(const JsonFields& fields, TokenizerParts* parts) {
  WordPieceModel::Options options;
  HAI_RETURN_IF_ERROR(fields.String("unk_token", &options.unk_token, false));
  HAI_RETURN_IF_ERROR(
      fields.String("continuing_subword_prefix", &options.continuing_subword_prefix, false));
  if (!fields.IsMissing("max_input_chars_per_word")) {
    int32_t max_chars = 0;
    HAI_RETURN_IF_ERROR(fields.Int32("max_input_chars_per_word", &max_chars));
    options.max_input_chars_per_word = static_cast<size_t>(max_chars);
  }
  const json* vocab_json = nullptr;
  HAI_RETURN_IF_ERROR(fields.Object("vocab", &vocab_json, true));
  Vocabulary::Map vocab;
  HAI_RETURN_IF_ERROR(ReadVocab(*vocab_json, &vocab));
  auto built = WordPieceModel::Build(std::move(vocab), options);
  if (!built.ok()) return Status::InvalidArgument("model: " + built.status().message());
  parts->model = std::move(built).value();
  return Status::Ok();
}

Status ReadModel(const JsonFields& root, TokenizerParts* parts) {
  const json* model = nullptr;
  HAI_RETURN_IF_ERROR(root.Object("model", &model, true));
  const JsonFields fields(*model, "model");
  std::string type = "BPE";  // old files leave out the type of a BPE model
  HAI_RETURN_IF_ERROR(fields.String("type", &type, false));
  if (type == "BPE") {
    parts->kind = ModelKind::kByteLevelBpe;
    return ReadBpe(fields, parts);
  }
  if (type == "WordPiece") {
    parts->kind = ModelKind::kWordPiece;
    return ReadWordPiece(fields, parts);
  }
  return Status::InvalidArgument("model.type '" + type +
                                 "' is not supported (only byte-level BPE and WordPiece)");
}

Status ReadAddedTokens(const JsonFields& root, const TokenModel& model,
                       std::vector<AddedToken>* out) {
  const json* list = nullptr;
  HAI_RETURN_IF_ERROR(root.Array("added_tokens", &list, false));
  if (list == nullptr) return Status::Ok();
  std::unordered_set<int32_t> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const JsonFields fields((*list)[i], "added_tokens[" + std::to_string(i) + "]");
    if (!(*list)[i].is_object())
      return Status::InvalidArgument(fields.where() + " must be an object");
    AddedToken token;
    HAI_RETURN_IF_ERROR(fields.Int32("id", &token.id));
    HAI_RETURN_IF_ERROR(fields.String("content", &token.content, true));
    HAI_RETURN_IF_ERROR(fields.Bool("special", &token.special));
    HAI_RETURN_IF_ERROR(fields.Bool("single_word", &token.single_word));
    HAI_RETURN_IF_ERROR(fields.Bool("lstrip", &token.lstrip));
    HAI_RETURN_IF_ERROR(fields.Bool("rstrip", &token.rstrip));
    HAI_RETURN_IF_ERROR(fields.Bool("normalized", &token.normalized));
    if (token.content.empty()) return Status::InvalidArgument(fields.Path("content") + " is empty");
    if (token.id > Vocabulary::kMaxId) {
      return Status::InvalidArgument(fields.Path("id") + " " + std::to_string(token.id) +
                                     " is above " + std::to_string(Vocabulary::kMaxId));
    }
    if (!seen.insert(token.id).second) {
      return Status::InvalidArgument(fields.Path("id") + " " + std::to_string(token.id) +
                                     " is used by an earlier added token");
    }
    // An added token may restate a vocabulary entry (GPT-2's <|endoftext|>),
    // but not take the id of a different one.
    const std::string* existing = model.TokenString(token.id);
    if (existing != nullptr && *existing != token.content) {
      return Status::InvalidArgument(fields.Path("id") + " " + std::to_string(token.id) +
                                     " is already model.vocab's '" + *existing + "'");
    }
    out->push_back(std::move(token));
  }
  return Status::Ok();
}

Status ReadPipeline(const JsonFields& root, TokenizerParts* parts) {
  const json* normalizer = nullptr;
  HAI_RETURN_IF_ERROR(root.Object("normalizer", &normalizer, false));
  std::optional<BertNormalizer::Options> bert;
  if (normalizer != nullptr) HAI_RETURN_IF_ERROR(ReadNormalizer(*normalizer, "normalizer", &bert, &parts->nfc));
  PreTokenizerSpec spec;
  const json* pre = nullptr;
  HAI_RETURN_IF_ERROR(root.Object("pre_tokenizer", &pre, false));
  if (pre != nullptr) HAI_RETURN_IF_ERROR(ParsePreTokenizer(*pre, "pre_tokenizer", &spec));
  const json* decoder = nullptr;
  HAI_RETURN_IF_ERROR(root.Object("decoder", &decoder, false));
  if (decoder != nullptr) HAI_RETURN_IF_ERROR(ReadDecoder(*decoder, "decoder", parts));
  if (parts->kind == ModelKind::kByteLevelBpe) {
    if (!spec.byte_level && decoder == nullptr) {
      return Status::InvalidArgument(
          "neither pre_tokenizer nor decoder is ByteLevel (only byte-level BPE is supported)");
    }
    if (bert) return Status::InvalidArgument("normalizer BertNormalizer needs a WordPiece model");
  } else if (spec.byte_level) {
    return Status::InvalidArgument("pre_tokenizer ByteLevel does not fit a WordPiece model");
  }
  if (bert) {
    auto created = BertNormalizer::Create(*bert);
    if (!created.ok()) return Status::InvalidArgument("normalizer: " + created.status().message());
    parts->normalizer = std::move(created).value();
  }
  // Read past, only to say a broken one early: callers add BOS themselves.
  HAI_RETURN_IF_ERROR(ComponentType(root, "post_processor").status());
  parts->pre_tokenizer = PreTokenizer(std::move(spec.rules));
  parts->add_prefix_space = spec.add_prefix_space;
  return Status::Ok();
}

Result<TokenizerParts> Parse(const std::string& json_text) {
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("not a JSON object");
  const JsonFields root(doc, "");
  TokenizerParts parts;
  HAI_RETURN_IF_ERROR(ReadModel(root, &parts));
  HAI_RETURN_IF_ERROR(ReadAddedTokens(root, *parts.model, &parts.added_tokens));
  HAI_RETURN_IF_ERROR(ReadPipeline(root, &parts));
  return parts;
}

}  // namespace

Result<TokenizerParts> ParseTokenizerJson(const std::string& json_text, const std::string& file) {
  Result<TokenizerParts> parts = Status::Internal("unset");
  try {  // the JSON adapter's edge: nothing nlohmann throws gets further
    parts = Parse(json_text);
  } catch (const std::exception& e) {
    parts = Status::InvalidArgument(e.what());
  }
  if (!parts.ok()) return Status::InvalidArgument(file + ": " + parts.status().message());
  return parts;
}

}  // namespace hai::tokenizer
