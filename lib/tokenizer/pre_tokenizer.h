#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "lib/tokenizer/regex.h"

namespace hai::tokenizer {

// The splitting rules of the checkpoints we serve, as their tokenizer.json
// files spell them (JSON escapes removed).
// Qwen2: letters grouped, every digit alone.
inline constexpr std::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Llama-3: as Qwen2 but digits in groups of up to three.
inline constexpr std::string_view kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// GPT-2, what a ByteLevel pre-tokenizer with use_regex applies.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// What happens to the text a rule's pattern matches (the "delimiter"; with
// `invert` the text between matches is the delimiter instead).
enum class SplitBehavior {
  kIsolated,            // the delimiter becomes a piece of its own
  kRemoved,             // the delimiter is dropped
  kMergedWithPrevious,  // the delimiter joins the piece before it
  kMergedWithNext,      // the delimiter joins the piece after it
  kContiguous,          // adjacent delimiters become one piece
};

struct SplitRule {
  std::unique_ptr<Regex> regex;
  SplitBehavior behavior = SplitBehavior::kIsolated;
  bool invert = false;
};

// Cuts text into the pieces BPE merges within, applying its rules in order,
// each to every piece the previous rules left. No rules: the text is one
// piece. Immutable after construction; safe to share across threads.
class PreTokenizer {
 public:
  PreTokenizer() = default;
  explicit PreTokenizer(std::vector<SplitRule> rules) : rules_(std::move(rules)) {}

  // Non-empty views into `text`, which must be valid UTF-8, in order.
  std::vector<std::string_view> Split(std::string_view text) const;

  size_t rule_count() const { return rules_.size(); }

 private:
  std::vector<SplitRule> rules_;
};

// One Isolated rule for `pattern`, for the common single-regex case.
Result<PreTokenizer> MakeRegexPreTokenizer(std::string_view pattern);

}  // namespace hai::tokenizer
