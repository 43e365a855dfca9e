#include "lib/tokenizer/added_tokens.h"

namespace hai::tokenizer {
namespace {

bool IsSpaceByte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Word characters for single_word: ASCII letters, digits and '_'. (Hugging
// Face asks Unicode; our checkpoints set single_word on no token.)
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  token_at_node_.push_back(-1);
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const std::string& content = tokens_[t].content;
    if (content.empty()) continue;
    first_bytes_[static_cast<unsigned char>(content[0])] = true;
    int32_t node = 0;
    for (unsigned char byte : content) {
      const uint64_t key = static_cast<uint64_t>(node) * 256 + byte;
      auto it = children_.find(key);
      if (it == children_.end()) {
        it = children_.emplace(key, static_cast<int32_t>(token_at_node_.size())).first;
        token_at_node_.push_back(-1);
      }
      node = it->second;
    }
    // The same content listed twice: the first entry wins.
    if (token_at_node_[node] < 0) token_at_node_[node] = static_cast<int32_t>(t);
  }
}

int32_t AddedTokenMatcher::Child(int32_t node, unsigned char byte) const {
  auto it = children_.find(static_cast<uint64_t>(node) * 256 + byte);
  return it == children_.end() ? -1 : it->second;
}

AddedTokenMatcher::Found AddedTokenMatcher::LongestAt(std::string_view text, size_t pos,
                                                      bool with_special) const {
  Found best{pos, pos, -1};
  int32_t node = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    node = Child(node, static_cast<unsigned char>(text[i]));
    if (node < 0) break;
    const int32_t t = token_at_node_[node];
    if (t < 0 || (tokens_[t].special && !with_special)) continue;
    const Found found{pos, i + 1, t};
    if (Acceptable(text, found)) best = found;
  }
  return best;
}

bool AddedTokenMatcher::Acceptable(std::string_view text, const Found& found) const {
  if (!tokens_[found.token].single_word) return true;
  const bool word_before = found.begin > 0 && IsWordByte(text[found.begin - 1]);
  const bool word_after = found.end < text.size() && IsWordByte(text[found.end]);
  return !word_before && !word_after;
}

std::vector<TextSegment> AddedTokenMatcher::Split(std::string_view text, bool with_special) const {
  std::vector<TextSegment> segments;
  size_t plain_begin = 0;  // start of the plain text not yet emitted
  size_t pos = 0;
  while (pos < text.size()) {
    if (!first_bytes_[static_cast<unsigned char>(text[pos])]) {
      ++pos;
      continue;
    }
    Found found = LongestAt(text, pos, with_special);
    if (found.token < 0) {
      ++pos;
      continue;
    }
    const AddedToken& token = tokens_[found.token];
    size_t begin = found.begin;
    size_t end = found.end;
    if (token.lstrip)
      while (begin > plain_begin && IsSpaceByte(text[begin - 1])) --begin;
    if (token.rstrip)
      while (end < text.size() && IsSpaceByte(text[end])) ++end;
    if (begin > plain_begin) segments.push_back({text.substr(plain_begin, begin - plain_begin)});
    segments.push_back({text.substr(begin, end - begin), token.id});
    plain_begin = pos = end;
  }
  if (plain_begin < text.size()) segments.push_back({text.substr(plain_begin)});
  return segments;
}

}  // namespace hai::tokenizer
