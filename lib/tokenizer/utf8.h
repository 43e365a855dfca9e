#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hai::tokenizer {

// UTF-8 stepping by the rules of Unicode's Table 3-7 (no overlong forms, no
// surrogates, nothing above U+10FFFF). The tokenizer needs this in three
// places: the regular expression only sees valid text, Decode() must return
// valid text for JSON, and the stream decoder must hold back a character that
// has not fully arrived.
struct Utf8Step {
  enum Kind { kChar, kTruncated, kInvalid };
  Kind kind;
  // kChar: the character's length. kTruncated: the bytes left, a valid start
  // of a character cut by the end of the text. kInvalid: the maximal subpart
  // (at least 1), which becomes one U+FFFD.
  size_t length;
  char32_t code_point;  // kChar only
};

Utf8Step DecodeUtf8(std::string_view text, size_t pos);

bool IsValidUtf8(std::string_view text);

// `text` with every invalid sequence (and a truncated one at the end) replaced
// by U+FFFD, one per maximal subpart, as Unicode recommends.
std::string ReplaceInvalidUtf8(std::string_view text);

void AppendUtf8(char32_t code_point, std::string* out);

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

}  // namespace hai::tokenizer
