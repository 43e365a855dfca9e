#include "daemons/engine/openai_encoder_request.h"

#include <limits>

#include "daemons/engine/openai_fields.h"

namespace hai::engine {
namespace {

using nlohmann::json;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

bool IsTokenId(const json& t) {
  if (!t.is_number_integer()) return false;
  if (t.is_number_unsigned()) return t.get<uint64_t>() <= uint64_t(kIntMax);
  return t.get<int64_t>() >= 0 && t.get<int64_t>() <= kIntMax;
}

// A non-empty array of token ids.
bool ReadTokens(FieldReader& r, const json& array, PromptInput* out) {
  if (array.empty()) {
    r.Fail(InvalidRequest("invalid_value", "'input' token arrays must not be empty", "input"));
    return false;
  }
  for (const auto& t : array) {
    if (!IsTokenId(t)) {
      r.Fail(InvalidRequest("invalid_type",
                            "'input' token ids must be integers from 0, got " + t.dump(), "input"));
      return false;
    }
    out->tokens.push_back(static_cast<int32_t>(t.get<int64_t>()));
  }
  out->is_tokens = true;
  return true;
}

// string | [string] | [int] | [[int]]
void ReadInput(FieldReader& r, EmbeddingRequest* out) {
  r.Require("input");
  const json* input = r.Raw("input");
  if (!input) return;
  const char* kShape =
      "a string, an array of strings, an array of token ids or an array of "
      "token-id arrays";
  if (input->is_string()) {
    out->inputs.push_back({false, input->get<std::string>(), {}});
    return;
  }
  if (!input->is_array()) return r.FailType("input", kShape);
  if (input->empty())
    return r.Fail(InvalidRequest("invalid_value", "'input' must not be empty", "input"));
  if ((*input)[0].is_number()) {
    PromptInput tokens;
    if (ReadTokens(r, *input, &tokens)) out->inputs.push_back(std::move(tokens));
    return;
  }
  if (input->size() > kMaxEmbeddingInputs)
    return r.Fail(InvalidRequest("invalid_value",
                                 "'input' may hold at most " + std::to_string(kMaxEmbeddingInputs) +
                                     " items, got " + std::to_string(input->size()),
                                 "input"));
  for (const auto& item : *input) {
    PromptInput one;
    if (item.is_string()) {
      one.text = item.get<std::string>();
    } else if (item.is_array()) {
      if (!ReadTokens(r, item, &one)) return;
    } else {
      return r.FailType("input", kShape);
    }
    out->inputs.push_back(std::move(one));
  }
}

void ReadDocuments(FieldReader& r, RerankRequest* out) {
  r.Require("documents");
  const json* docs = r.Raw("documents");
  if (!docs) return;
  if (!docs->is_array())
    return r.FailType("documents", "an array of strings or {\"text\"} objects");
  if (docs->empty())
    return r.Fail(InvalidRequest("invalid_value", "'documents' must not be empty", "documents"));
  if (docs->size() > kMaxRerankDocuments)
    return r.Fail(InvalidRequest("invalid_value",
                                 "'documents' may hold at most " +
                                     std::to_string(kMaxRerankDocuments) + " items, got " +
                                     std::to_string(docs->size()),
                                 "documents"));
  for (size_t k = 0; k < docs->size(); ++k) {
    const json& doc = (*docs)[k];
    if (doc.is_string()) {
      out->documents.push_back(doc.get<std::string>());
      continue;
    }
    if (!doc.is_object())
      return r.FailType("documents", "an array of strings or {\"text\"} objects");
    FieldReader d(doc, "documents[" + std::to_string(k) + "]");
    d.Require("text");
    std::optional<std::string> text;
    d.String("text", &text);
    if (auto e = d.Finish()) return r.Fail(*e);
    out->documents.push_back(*text);
  }
}

}  // namespace

std::optional<ApiError> ParseEmbeddingRequest(const std::string& body, EmbeddingRequest* out) {
  json doc;
  if (auto e = ParseBody(body, &doc)) return e;
  *out = EmbeddingRequest{};
  FieldReader r(doc);
  std::optional<std::string> model, format, user;
  r.String("model", &model);
  out->model = model.value_or("");
  ReadInput(r, out);
  r.String("encoding_format", &format);
  if (format && *format != "float" && *format != "base64")
    r.Fail(InvalidRequest("invalid_value",
                          "'encoding_format' must be 'float' or 'base64', got '" + *format + "'",
                          "encoding_format"));
  out->base64 = format && *format == "base64";
  if (r.Raw("dimensions"))
    r.Fail(InvalidRequest("unsupported_parameter",
                          "'dimensions' is not supported: this model's embeddings have a fixed "
                          "size",
                          "dimensions"));
  r.String("user", &user);  // accepted for compatibility; not used
  return r.Finish();
}

std::optional<ApiError> ParseRerankRequest(const std::string& body, RerankRequest* out) {
  json doc;
  if (auto e = ParseBody(body, &doc)) return e;
  *out = RerankRequest{};
  FieldReader r(doc);
  std::optional<std::string> model, query;
  r.String("model", &model);
  out->model = model.value_or("");
  r.Require("query");
  r.String("query", &query);
  out->query = query.value_or("");
  ReadDocuments(r, out);
  std::optional<int64_t> top_n;
  r.Int("top_n", 1, kIntMax, &top_n);
  if (top_n) out->top_n = static_cast<int>(*top_n);
  std::optional<bool> return_documents;
  r.Bool("return_documents", &return_documents);
  out->return_documents = return_documents.value_or(true);
  return r.Finish();
}

}  // namespace hai::engine
