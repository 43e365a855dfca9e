#include "lib/tokenizer/pre_tokenizer.h"

namespace hai::tokenizer {
namespace {

struct Span {
  std::string_view text;
  bool delimiter;
};

// The piece cut into alternating matched and unmatched spans.
std::vector<Span> Spans(const SplitRule& rule, std::string_view piece) {
  std::vector<Span> spans;
  size_t pos = 0;
  for (const Regex::Match& m : rule.regex->FindAll(piece)) {
    if (m.begin > pos) spans.push_back({piece.substr(pos, m.begin - pos), rule.invert});
    spans.push_back({piece.substr(m.begin, m.end - m.begin), !rule.invert});
    pos = m.end;
  }
  if (pos < piece.size()) spans.push_back({piece.substr(pos), rule.invert});
  return spans;
}

// Joins `b` to `a`; both are views into the same text and `b` follows `a`.
std::string_view Join(std::string_view a, std::string_view b) {
  return std::string_view(a.data(), static_cast<size_t>(b.data() + b.size() - a.data()));
}

// A delimiter merges with a neighbour only when that neighbour is not itself
// a delimiter (Hugging Face's rule): "a-b--c" merged with the previous piece
// is "a-", "b-", "-", "c".
void ApplyRule(const SplitRule& rule, std::string_view piece, std::vector<std::string_view>* out) {
  const std::vector<Span> spans = Spans(rule, piece);
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& span = spans[i];
    const bool after_text = i > 0 && !spans[i - 1].delimiter;
    const bool after_delimiter = i > 0 && spans[i - 1].delimiter;
    const bool before_text = i + 1 < spans.size() && !spans[i + 1].delimiter;
    switch (rule.behavior) {
      case SplitBehavior::kIsolated:
        out->push_back(span.text);
        break;
      case SplitBehavior::kRemoved:
        if (!span.delimiter) out->push_back(span.text);
        break;
      case SplitBehavior::kMergedWithPrevious:
        if (span.delimiter && after_text)
          out->back() = Join(out->back(), span.text);
        else
          out->push_back(span.text);
        break;
      case SplitBehavior::kMergedWithNext:
        if (span.delimiter && before_text) {
          out->push_back(Join(span.text, spans[i + 1].text));
          ++i;
        } else {
          out->push_back(span.text);
        }
        break;
      case SplitBehavior::kContiguous:
        if (span.delimiter && after_delimiter)
          out->back() = Join(out->back(), span.text);
        else
          out->push_back(span.text);
        break;
    }
  }
}

}  // namespace

std::vector<std::string_view> PreTokenizer::Split(std::string_view text) const {
  std::vector<std::string_view> pieces;
  if (text.empty()) return pieces;
  pieces.push_back(text);
  for (const SplitRule& rule : rules_) {
    std::vector<std::string_view> next;
    next.reserve(pieces.size() * 2);
    for (std::string_view piece : pieces) ApplyRule(rule, piece, &next);
    pieces = std::move(next);
  }
  return pieces;
}

Result<PreTokenizer> MakeRegexPreTokenizer(std::string_view pattern) {
  HAI_ASSIGN_OR_RETURN(auto regex, Regex::Compile(pattern));
  std::vector<SplitRule> rules;
  rules.push_back({std::move(regex), SplitBehavior::kIsolated, false});
  return PreTokenizer(std::move(rules));
}

}  // namespace hai::tokenizer
