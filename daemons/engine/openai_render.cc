#include "daemons/engine/openai_render.h"

#include <cmath>
#include <cstring>

namespace hai::engine {
namespace {

using nlohmann::json;

// JSON has no infinities; OpenAI-compatible servers send a large negative number.
double Finite(float logprob) { return std::isfinite(logprob) ? logprob : -9999.0; }

json Bytes(const std::string& text) {
  json out = json::array();
  for (unsigned char c : text) out.push_back(static_cast<int>(c));
  return out;
}

json ChatTop(const tokenizer::Tokenizer& tokenizer,
             const std::vector<std::pair<int32_t, float>>& top) {
  json out = json::array();
  for (const auto& [id, lp] : top) {
    std::string text = tokenizer.TokenText(id);
    out.push_back({{"token", text}, {"logprob", Finite(lp)}, {"bytes", Bytes(text)}});
  }
  return out;
}

}  // namespace

json UsageJson(const Usage& usage) {
  return {{"prompt_tokens", usage.prompt_tokens},
          {"completion_tokens", usage.completion_tokens},
          {"total_tokens", usage.prompt_tokens + usage.completion_tokens}};
}

json FinishJson(FinishReason reason) {
  if (reason == FinishReason::kNone) return nullptr;
  return std::string(FinishReasonName(reason));
}

json ChatLogprobs(const tokenizer::Tokenizer& tokenizer,
                  std::span<const transformer::TokenLogprob> logprobs) {
  json content = json::array();
  for (const auto& lp : logprobs) {
    std::string text = tokenizer.TokenText(lp.token);
    content.push_back({{"token", text},
                       {"logprob", Finite(lp.logprob)},
                       {"bytes", Bytes(text)},
                       {"top_logprobs", ChatTop(tokenizer, lp.top)}});
  }
  return {{"content", content}};
}

CompletionLogprobs::CompletionLogprobs(const tokenizer::Tokenizer* tokenizer, int64_t text_offset)
    : tokenizer_(tokenizer), offset_(text_offset) {}

void CompletionLogprobs::AddUnscored(int32_t token) {
  std::string text = tokenizer_->TokenText(token);
  tokens_.push_back(text);
  token_logprobs_.push_back(nullptr);
  top_logprobs_.push_back(nullptr);
  text_offset_.push_back(offset_);
  offset_ += static_cast<int64_t>(text.size());
}

void CompletionLogprobs::AddPrompt(std::span<const int32_t> prompt,
                                   std::span<const transformer::TokenLogprob> scored) {
  if (prompt.empty()) return;
  AddUnscored(prompt.front());
  size_t skip = scored.size() >= prompt.size() ? 1 : 0;
  for (size_t i = skip; i < scored.size(); ++i) Add(scored[i]);
}

void CompletionLogprobs::Add(const transformer::TokenLogprob& logprob) {
  std::string text = tokenizer_->TokenText(logprob.token);
  tokens_.push_back(text);
  token_logprobs_.push_back(Finite(logprob.logprob));
  json top = json::object();
  for (const auto& [id, lp] : logprob.top) {
    std::string alt = tokenizer_->TokenText(id);
    if (!top.contains(alt)) top[alt] = Finite(lp);  // best first: keep the better of equal texts
  }
  top_logprobs_.push_back(std::move(top));
  text_offset_.push_back(offset_);
  offset_ += static_cast<int64_t>(text.size());
}

json CompletionLogprobs::Take() {
  json out = {{"tokens", std::move(tokens_)},
              {"token_logprobs", std::move(token_logprobs_)},
              {"top_logprobs", std::move(top_logprobs_)},
              {"text_offset", std::move(text_offset_)}};
  tokens_ = json::array();
  token_logprobs_ = json::array();
  top_logprobs_ = json::array();
  text_offset_ = json::array();
  return out;
}

json ChatChoice(int index, const std::string& text, const json& logprobs, FinishReason finish) {
  return {{"index", index},
          {"message", {{"role", "assistant"}, {"content", text}}},
          {"logprobs", logprobs},
          {"finish_reason", FinishJson(finish)}};
}

json CompletionChoice(int index, const std::string& text, const json& logprobs,
                      FinishReason finish) {
  return {{"index", index},
          {"text", text},
          {"logprobs", logprobs},
          {"finish_reason", FinishJson(finish)}};
}

json CompletionBody(const ResponseHeader& header, bool chat, json choices, const Usage& usage) {
  return {{"id", header.id},
          {"object", chat ? "chat.completion" : "text_completion"},
          {"created", header.created},
          {"model", header.model},
          {"choices", std::move(choices)},
          {"usage", UsageJson(usage)}};
}

namespace {

json Chunk(const ResponseHeader& header, bool chat, json choice, bool usage_field) {
  json out = {{"id", header.id},
              {"object", chat ? "chat.completion.chunk" : "text_completion"},
              {"created", header.created},
              {"model", header.model},
              {"choices", json::array({std::move(choice)})}};
  if (usage_field) out["usage"] = nullptr;
  return out;
}

}  // namespace

json ChatChunk(const ResponseHeader& header, int index, json delta, const json& logprobs,
               FinishReason finish, bool usage_field) {
  json choice = {{"index", index},
                 {"delta", std::move(delta)},
                 {"logprobs", logprobs},
                 {"finish_reason", FinishJson(finish)}};
  return Chunk(header, true, std::move(choice), usage_field);
}

json CompletionChunk(const ResponseHeader& header, int index, const std::string& text,
                     const json& logprobs, FinishReason finish, bool usage_field) {
  return Chunk(header, false, CompletionChoice(index, text, logprobs, finish), usage_field);
}

json UsageChunk(const ResponseHeader& header, bool chat, const Usage& usage) {
  return {
      {"id", header.id},           {"object", chat ? "chat.completion.chunk" : "text_completion"},
      {"created", header.created}, {"model", header.model},
      {"choices", json::array()},  {"usage", UsageJson(usage)}};
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string SseEvent(const json& data) { return "data: " + Dump(data) + "\n\n"; }

json EmbeddingsBody(const std::string& model, const std::vector<std::vector<float>>& vectors,
                    bool base64, int prompt_tokens) {
  json data = json::array();
  for (size_t i = 0; i < vectors.size(); ++i) {
    json embedding;
    if (base64) {
      // Little-endian float32, as numpy's frombuffer(…, dtype=float32) reads it.
      std::vector<uint8_t> bytes(vectors[i].size() * sizeof(float));
      for (size_t k = 0; k < vectors[i].size(); ++k) {
        uint32_t bits;
        std::memcpy(&bits, &vectors[i][k], sizeof(bits));
        for (int b = 0; b < 4; ++b) bytes[k * 4 + b] = static_cast<uint8_t>(bits >> (8 * b));
      }
      embedding = Base64(bytes);
    } else {
      embedding = vectors[i];
    }
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(embedding)}});
  }
  return {{"object", "list"},
          {"data", std::move(data)},
          {"model", model},
          {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}}}};
}

json RerankBody(const std::string& id, const std::string& model,
                const std::vector<RerankResult>& results, bool return_documents, int total_tokens) {
  json out = json::array();
  for (const auto& r : results) {
    json item = {{"index", r.index}, {"relevance_score", r.score}};
    if (return_documents) item["document"] = {{"text", r.document}};
    out.push_back(std::move(item));
  }
  return {{"id", id},
          {"model", model},
          {"usage", {{"total_tokens", total_tokens}}},
          {"results", std::move(out)}};
}

json ModelsBody(const std::string& served_name, int64_t created, int max_model_len) {
  json model = {{"id", served_name},
                {"object", "model"},
                {"created", created},
                {"owned_by", "hai"},
                {"root", served_name},
                {"parent", nullptr},
                {"max_model_len", max_model_len}};
  return {{"object", "list"}, {"data", json::array({std::move(model)})}};
}

std::string Base64(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = uint32_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint32_t(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= bytes[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

}  // namespace hai::engine
