#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hai::tokenizer {

// A token tokenizer.json lists under "added_tokens": matched in the raw text
// before any splitting, so "<|im_end|>" is one id and never BPE pieces.
struct AddedToken {
  int32_t id = 0;
  std::string content;
  bool special = false;
  bool single_word = false;  // only where not inside a word
  bool lstrip = false;       // swallows the whitespace before it
  bool rstrip = false;       // swallows the whitespace after it
  bool normalized = false;   // read and kept; there is no normalizer to apply
};

// Where the text is cut: each segment is either plain text for the
// pre-tokenizer or one added token.
struct TextSegment {
  std::string_view text;
  int32_t token_id = -1;  // -1: plain text
};

// Finds added tokens in text, leftmost first and, at one place, the longest
// (Hugging Face's rule). A byte trie keeps this linear in the text however
// many tokens there are. Immutable after construction.
class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

  // `with_special` false: special tokens are not recognised (their text is
  // then plain text); non-special added tokens always are.
  std::vector<TextSegment> Split(std::string_view text, bool with_special) const;

  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  struct Found {
    size_t begin;
    size_t end;
    int32_t token;  // index into tokens_
  };
  int32_t Child(int32_t node, unsigned char byte) const;
  // The longest allowed token starting exactly at `pos`, or token -1.
  Found LongestAt(std::string_view text, size_t pos, bool with_special) const;
  bool Acceptable(std::string_view text, const Found& found) const;

  std::vector<AddedToken> tokens_;
  // Trie: node * 256 + byte -> child node; node 0 is the root.
  std::unordered_map<uint64_t, int32_t> children_;
  std::vector<int32_t> token_at_node_;  // index into tokens_, -1 where none ends
  bool first_bytes_[256] = {};
};

}  // namespace hai::tokenizer
