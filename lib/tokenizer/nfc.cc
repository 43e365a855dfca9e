#include "lib/tokenizer/nfc.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <vector>

namespace hai::tokenizer {
namespace {

bool Ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

std::string Nfc(std::string_view utf8) {
  if (Ascii(utf8)) return std::string(utf8);
  UErrorCode error = U_ZERO_ERROR;
  const UNormalizer2* nfc = unorm2_getNFCInstance(&error);
  if (U_FAILURE(error)) return std::string(utf8);  // no ICU data: text as given
  // UTF-8 → UTF-16: never more code units than bytes.
  std::vector<UChar> source(utf8.size() + 1);
  int32_t source_len = 0;
  u_strFromUTF8(source.data(), static_cast<int32_t>(source.size()), &source_len, utf8.data(),
                static_cast<int32_t>(utf8.size()), &error);
  if (U_FAILURE(error)) return std::string(utf8);
  if (unorm2_isNormalized(nfc, source.data(), source_len, &error) && U_SUCCESS(error))
    return std::string(utf8);
  error = U_ZERO_ERROR;
  // Composition never lengthens; decomposition inside NFC is bounded by 3×.
  std::vector<UChar> normalized(static_cast<size_t>(source_len) * 3 + 1);
  int32_t normalized_len = unorm2_normalize(nfc, source.data(), source_len, normalized.data(),
                                            static_cast<int32_t>(normalized.size()), &error);
  if (U_FAILURE(error)) return std::string(utf8);
  std::string out(static_cast<size_t>(normalized_len) * 3, '\0');
  int32_t out_len = 0;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_len, normalized.data(),
              normalized_len, &error);
  if (U_FAILURE(error)) return std::string(utf8);
  out.resize(static_cast<size_t>(out_len));
  return out;
}

}  // namespace hai::tokenizer
