#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

// The allowed range of a character's second byte depends on its first
// (Table 3-7); later continuation bytes are always 0x80..0xBF.
struct LeadInfo {
  size_t length;  // 0: not a lead byte
  unsigned char second_lo;
  unsigned char second_hi;
};

LeadInfo InfoFor(unsigned char lead) {
  if (lead < 0x80) return {1, 0, 0};
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

}  // namespace

Utf8Step DecodeUtf8(std::string_view text, size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const size_t left = text.size() - pos;
  const LeadInfo info = InfoFor(p[0]);
  if (info.length == 0) return {Utf8Step::kInvalid, 1, 0};
  if (info.length == 1) return {Utf8Step::kChar, 1, p[0]};
  char32_t cp = p[0] & (0xFF >> (info.length + 1));
  for (size_t i = 1; i < info.length; ++i) {
    if (i == left) return {Utf8Step::kTruncated, left, 0};
    const unsigned char lo = i == 1 ? info.second_lo : 0x80;
    const unsigned char hi = i == 1 ? info.second_hi : 0xBF;
    if (p[i] < lo || p[i] > hi) return {Utf8Step::kInvalid, i, 0};
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  return {Utf8Step::kChar, info.length, cp};
}

bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    if (p[pos] < 0x80) {  // the common case, without the table walk
      ++pos;
      continue;
    }
    const Utf8Step step = DecodeUtf8(text, pos);
    if (step.kind != Utf8Step::kChar) return false;
    pos += step.length;
  }
  return true;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Step step = DecodeUtf8(text, pos);
    if (step.kind == Utf8Step::kChar)
      out.append(text.substr(pos, step.length));
    else
      out.append(kReplacementChar);
    pos += step.length;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace hai::tokenizer
