#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hai::tokenizer {

// The byte-level alphabet of GPT-2 style BPE: each of the 256 byte values is
// shown as one printable Unicode character, so a vocabulary of strings can
// cover arbitrary bytes. Printable Latin-1 bytes stand for themselves; the
// other 68 (controls, space, 0x7F-0xA0, 0xAD) take U+0100 upwards in byte
// order, which makes space 'Ġ' (U+0120) and newline 'Ċ' (U+010A).
class ByteLevelAlphabet {
 public:
  // The one shared table (built once, immutable, safe from any thread).
  static const ByteLevelAlphabet& Get();

  char32_t CharFor(unsigned char byte) const { return chars_[byte]; }
  // The character's UTF-8 spelling (one or two bytes).
  std::string_view Utf8For(unsigned char byte) const { return utf8_[byte]; }
  std::optional<unsigned char> ByteFor(char32_t ch) const;

  // Raw bytes to their alphabet spelling, and back. FromAlphabet() fails on a
  // character outside the alphabet.
  std::string ToAlphabet(std::string_view bytes) const;
  std::optional<std::string> FromAlphabet(std::string_view text) const;

 private:
  ByteLevelAlphabet();
  std::array<char32_t, 256> chars_;
  std::array<std::string, 256> utf8_;
  // Indexed by code point; every alphabet character is below U+0144.
  std::array<int16_t, 0x144> bytes_;
};

}  // namespace hai::tokenizer
