#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/engine/openai_error.h"
#include "daemons/engine/openai_request.h"

namespace hai::engine {

inline constexpr size_t kMaxEmbeddingInputs = 2048;
inline constexpr size_t kMaxRerankDocuments = 1024;

// POST /v1/embeddings.
struct EmbeddingRequest {
  std::string model;
  std::vector<PromptInput> inputs;  // text, or token ids used as they are
  bool base64 = false;              // encoding_format "base64": little-endian float32
};

// POST /v1/rerank (and /rerank, /v2/rerank), Cohere / Jina / vLLM shape.
struct RerankRequest {
  std::string model;
  std::string query;
  std::vector<std::string> documents;
  std::optional<int> top_n;  // absent: every document
  bool return_documents = true;
};

std::optional<ApiError> ParseEmbeddingRequest(const std::string& body, EmbeddingRequest* out);
std::optional<ApiError> ParseRerankRequest(const std::string& body, RerankRequest* out);

}  // namespace hai::engine
