#include "daemons/engine/encoder_api.h"

#include <algorithm>
#include <cmath>

#include "daemons/engine/openai_encoder_request.h"
#include "daemons/engine/openai_render.h"
#include "lib/base/random.h"

namespace hai::engine {
namespace {

std::optional<ApiError> CheckLength(size_t tokens, int max_tokens, const std::string& what,
                                    const std::string& param) {
  if (tokens <= static_cast<size_t>(max_tokens)) return std::nullopt;
  return InvalidRequest("context_length_exceeded",
                        what + " has " + std::to_string(tokens) +
                            " tokens; this model's maximum context length is " +
                            std::to_string(max_tokens) + " tokens",
                        param);
}

double Sigmoid(float logit) { return 1.0 / (1.0 + std::exp(-static_cast<double>(logit))); }

}  // namespace

EncoderApi::EncoderApi(EncoderService* service, std::string served_name)
    : service_(service), served_name_(std::move(served_name)) {}

http::Response EncoderApi::Embeddings(http::Request& req) {
  EmbeddingRequest parsed;
  if (auto e = ParseEmbeddingRequest(req.body, &parsed)) return ErrorResponse(*e);
  if (auto e = CheckModelName(parsed.model, served_name_)) return ErrorResponse(*e);
  std::vector<std::vector<int32_t>> inputs;
  int total = 0;
  for (size_t i = 0; i < parsed.inputs.size(); ++i) {
    const PromptInput& in = parsed.inputs[i];
    std::vector<int32_t> ids;
    if (in.is_tokens) {
      for (int32_t id : in.tokens)
        if (id >= service_->vocab())
          return ErrorResponse(InvalidRequest("invalid_value",
                                              "token id " + std::to_string(id) +
                                                  " in 'input' is outside the vocabulary (0.." +
                                                  std::to_string(service_->vocab() - 1) + ")",
                                              "input"));
      ids = in.tokens;
    } else {
      ids = service_->EmbeddingTokens(in.text);
    }
    if (auto e =
            CheckLength(ids.size(), service_->max_tokens(), "input " + std::to_string(i), "input"))
      return ErrorResponse(*e);
    total += static_cast<int>(ids.size());
    inputs.push_back(std::move(ids));
  }
  auto vectors = service_->Embed(std::move(inputs));
  if (!vectors.ok()) return ErrorResponse(FromStatus(vectors.status()));
  return http::Response::Json(200, EmbeddingsBody(served_name_, *vectors, parsed.base64, total));
}

http::Response EncoderApi::Rerank(http::Request& req) {
  RerankRequest parsed;
  if (auto e = ParseRerankRequest(req.body, &parsed)) return ErrorResponse(*e);
  if (auto e = CheckModelName(parsed.model, served_name_)) return ErrorResponse(*e);
  if (!service_->cross_encoder())
    return ErrorResponse(InvalidRequest(
        "unsupported_operation",
        "model '" + served_name_ +
            "' does not support rerank: it is an embedding encoder without a classification head",
        "model"));
  std::vector<transformer::EncoderModel::Pair> pairs;
  int total = 0;
  for (size_t i = 0; i < parsed.documents.size(); ++i) {
    pairs.push_back(service_->RerankPair(parsed.query, parsed.documents[i]));
    if (auto e = CheckLength(pairs.back().tokens.size(), service_->max_tokens(),
                             "the query with document " + std::to_string(i), "documents"))
      return ErrorResponse(*e);
    total += static_cast<int>(pairs.back().tokens.size());
  }
  const size_t count = pairs.size();
  auto logits = service_->Score(std::move(pairs));
  if (!logits.ok()) return ErrorResponse(FromStatus(logits.status()));
  std::vector<RerankResult> results;
  for (size_t i = 0; i < count; ++i)
    results.push_back({static_cast<int>(i), Sigmoid((*logits)[i]), parsed.documents[i]});
  std::stable_sort(results.begin(), results.end(),
                   [](const RerankResult& a, const RerankResult& b) { return a.score > b.score; });
  if (parsed.top_n && static_cast<size_t>(*parsed.top_n) < results.size())
    results.resize(static_cast<size_t>(*parsed.top_n));
  return http::Response::Json(200, RerankBody("rerank-" + RandomToken(12), served_name_, results,
                                              parsed.return_documents, total));
}

}  // namespace hai::engine
