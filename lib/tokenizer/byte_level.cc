#include "lib/tokenizer/byte_level.h"

#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

// Bytes that already print as themselves in Latin-1: '!'..'~', '¡'..'¬', '®'..'ÿ'.
bool StandsForItself(int byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) ||
         (byte >= 0xAE && byte <= 0xFF);
}

}  // namespace

const ByteLevelAlphabet& ByteLevelAlphabet::Get() {
  static const ByteLevelAlphabet alphabet;
  return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
  bytes_.fill(-1);
  char32_t next_shifted = 0x100;
  for (int byte = 0; byte < 256; ++byte) {
    const char32_t ch = StandsForItself(byte) ? static_cast<char32_t>(byte) : next_shifted++;
    chars_[byte] = ch;
    AppendUtf8(ch, &utf8_[byte]);
    bytes_[ch] = static_cast<int16_t>(byte);
  }
}

std::optional<unsigned char> ByteLevelAlphabet::ByteFor(char32_t ch) const {
  if (ch >= bytes_.size() || bytes_[ch] < 0) return std::nullopt;
  return static_cast<unsigned char>(bytes_[ch]);
}

std::string ByteLevelAlphabet::ToAlphabet(std::string_view bytes) const {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) out.append(utf8_[byte]);
  return out;
}

std::optional<std::string> ByteLevelAlphabet::FromAlphabet(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Step step = DecodeUtf8(text, pos);
    if (step.kind != Utf8Step::kChar) return std::nullopt;
    const auto byte = ByteFor(step.code_point);
    if (!byte) return std::nullopt;
    out.push_back(static_cast<char>(*byte));
    pos += step.length;
  }
  return out;
}

}  // namespace hai::tokenizer
