#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/engine/generation.h"
#include "lib/tokenizer/tokenizer.h"

namespace hai::engine {

// OpenAI's response shapes, built from engine results. Pure functions of their
// inputs (ids and timestamps are passed in), so tests compare exact JSON.

struct Usage {
  int prompt_tokens = 0;
  int completion_tokens = 0;
};
nlohmann::json UsageJson(const Usage& usage);

// Who answered: the same for every body and chunk of one request.
struct ResponseHeader {
  std::string id;  // "chatcmpl-…" or "cmpl-…"
  int64_t created = 0;
  std::string model;
};

// finish_reason as OpenAI spells it; null while unfinished.
nlohmann::json FinishJson(FinishReason reason);

// Chat logprobs: {"content":[{"token","logprob","bytes","top_logprobs":[…]}]}.
nlohmann::json ChatLogprobs(const tokenizer::Tokenizer& tokenizer,
                            std::span<const transformer::TokenLogprob> logprobs);

// Completions logprobs ({"tokens","token_logprobs","top_logprobs","text_offset"})
// built up token by token; Take() returns what was added since the last Take
// while text offsets keep counting (for streamed chunks). Not thread-safe.
class CompletionLogprobs {
 public:
  CompletionLogprobs(const tokenizer::Tokenizer* tokenizer, int64_t text_offset);
  void AddUnscored(int32_t token);  // the prompt's first token: null logprob
  // An echoed prompt: its first token unscored, then `scored`, which holds
  // either one entry per later token or (the step loop's form) one per token
  // with a placeholder for the first.
  void AddPrompt(std::span<const int32_t> prompt,
                 std::span<const transformer::TokenLogprob> scored);
  void Add(const transformer::TokenLogprob& logprob);
  bool empty() const { return tokens_.empty(); }
  nlohmann::json Take();

 private:
  const tokenizer::Tokenizer* tokenizer_;
  int64_t offset_;
  nlohmann::json tokens_ = nlohmann::json::array();
  nlohmann::json token_logprobs_ = nlohmann::json::array();
  nlohmann::json top_logprobs_ = nlohmann::json::array();
  nlohmann::json text_offset_ = nlohmann::json::array();
};

// Whole (non-streamed) answers. `choices` are complete choice objects.
nlohmann::json ChatChoice(int index, const std::string& text, const nlohmann::json& logprobs,
                          FinishReason finish);
nlohmann::json CompletionChoice(int index, const std::string& text, const nlohmann::json& logprobs,
                                FinishReason finish);
nlohmann::json CompletionBody(const ResponseHeader& header, bool chat, nlohmann::json choices,
                              const Usage& usage);

// One streamed chunk with one choice. `delta` is the chat delta object or,
// for completions, ignored in favour of `text`. With `usage_field` the chunk
// carries "usage": null (stream_options.include_usage).
nlohmann::json ChatChunk(const ResponseHeader& header, int index, nlohmann::json delta,
                         const nlohmann::json& logprobs, FinishReason finish, bool usage_field);
nlohmann::json CompletionChunk(const ResponseHeader& header, int index, const std::string& text,
                               const nlohmann::json& logprobs, FinishReason finish,
                               bool usage_field);
// The last chunk before [DONE] when usage was asked for: no choices, the usage.
nlohmann::json UsageChunk(const ResponseHeader& header, bool chat, const Usage& usage);

// Server-sent events framing: `data: {json}` and a blank line.
std::string SseEvent(const nlohmann::json& data);
inline constexpr std::string_view kSseDone = "data: [DONE]\n\n";

// JSON text; invalid UTF-8 (a token holding half a character) becomes U+FFFD.
std::string Dump(const nlohmann::json& value);

// Embeddings and rerank.
nlohmann::json EmbeddingsBody(const std::string& model,
                              const std::vector<std::vector<float>>& vectors, bool base64,
                              int prompt_tokens);
struct RerankResult {
  int index = 0;
  double score = 0;
  std::string document;
};
nlohmann::json RerankBody(const std::string& id, const std::string& model,
                          const std::vector<RerankResult>& results, bool return_documents,
                          int total_tokens);

nlohmann::json ModelsBody(const std::string& served_name, int64_t created, int max_model_len);

// Standard base64 with padding (embeddings' encoding_format "base64").
std::string Base64(std::span<const uint8_t> bytes);

}  // namespace hai::engine
