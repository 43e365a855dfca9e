#pragma once

#include <string>
#include <string_view>

namespace hai::tokenizer {

// Unicode Normalization Form C (ICU), as a tokenizer.json "NFC" normalizer
// asks: "e" + U+0301 becomes "é", so both spellings get the same ids. Input
// must be valid UTF-8 (Encode repairs it first). ASCII and text already in
// NFC come back unchanged without a conversion.
std::string Nfc(std::string_view utf8);

}  // namespace hai::tokenizer
