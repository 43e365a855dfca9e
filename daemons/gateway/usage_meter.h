#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hai::gateway {

// Tokens one call used, and where the numbers come from: "engine" (the
// answer's `usage`), "counted" (the gateway's own count, when the engine
// gave none) or "none" (nothing was generated: an error answer).
struct TokenUsage {
  int64_t input = 0;
  int64_t output = 0;
  int64_t total = 0;
  std::string source = "none";
};

// The `usage` of a non-streamed answer (chat, completions, embeddings,
// rerank), or nullopt when it has none that can be read.
std::optional<TokenUsage> UsageFromAnswer(std::string_view body);

// The gateway's estimate where the engine reports nothing. The gateway holds
// no model's tokenizer, so text counts as one token per 4 bytes of UTF-8
// (rounded up) and token-id arrays as their length.
int64_t EstimateTokens(std::string_view text);
// The prompt of a request body: chat messages' content, `prompt`, `input`,
// or rerank's `query` and `documents`.
int64_t EstimateInputTokens(std::string_view request_body);
// The generated text of a non-streamed chat or completions answer (every
// choice's), and its estimate.
std::string AnswerText(std::string_view answer_body);
int64_t EstimateOutputTokens(std::string_view answer_body);

// Reads a server-sent event stream as it is relayed, without holding it up:
// the relay forwards each piece first and then hands a view of it here.
// Only the bytes of an event not yet complete are kept (bounded). Counts
// the events that carry generated text (one token each, as engines send
// them) and keeps the last `usage` an event reported (OpenAI's
// stream_options.include_usage), and the generated text itself (bounded),
// for a tokenizer to count. Used by one thread at a time.
class StreamUsageMeter {
 public:
  // Returns true when this piece completed the first event with content.
  bool Feed(std::string_view piece);

  int64_t content_events() const { return content_events_; }
  // Every event's generated text, in order; nullopt once it outgrew
  // kMaxContentBytes.
  std::optional<std::string_view> content_text() const {
    if (content_overflow_) return std::nullopt;
    return content_text_;
  }
  const std::optional<TokenUsage>& reported() const { return reported_; }
  // The code of an error event the engine sent in the stream ("" if none).
  const std::string& error_code() const { return error_code_; }

  // An event larger than this is not read (the bytes still pass).
  static constexpr size_t kMaxEventBytes = 1 << 20;
  static constexpr size_t kMaxContentBytes = 8 << 20;

 private:
  void Event(std::string_view event);
  void Data(std::string_view data);
  void AddContent(const std::string& text);

  std::string pending_;    // the incomplete event so far, without '\r'
  bool skipping_ = false;  // inside an event over kMaxEventBytes
  int64_t content_events_ = 0;
  std::string content_text_;
  bool content_overflow_ = false;
  std::optional<TokenUsage> reported_;
  std::string error_code_;
};

}  // namespace hai::gateway
