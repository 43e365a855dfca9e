#include "lib/tokenizer/nfc.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

TEST(NfcTest, ComposesDecomposedText) {
  EXPECT_EQ(Nfc("e\xCC\x81"), "\xC3\xA9");                     // e + U+0301 → é
  EXPECT_EQ(Nfc("A\xCC\x8A" "ngstr\xC3\xB6m"), "\xC3\x85ngstr\xC3\xB6m");  // Å
  EXPECT_EQ(Nfc("\xE2\x84\xAB"), "\xC3\x85");                  // ANGSTROM SIGN → Å
}

TEST(NfcTest, LeavesNormalisedTextAlone) {
  EXPECT_EQ(Nfc(""), "");
  EXPECT_EQ(Nfc("plain ASCII, 123"), "plain ASCII, 123");
  EXPECT_EQ(Nfc("患者主诉头痛三天"), "患者主诉头痛三天");
  EXPECT_EQ(Nfc("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  // Compatibility characters are NFKC's business, not NFC's.
  EXPECT_EQ(Nfc("\xEF\xBC\xA1"), "\xEF\xBC\xA1");  // FULLWIDTH A stays
}

}  // namespace
}  // namespace hai::tokenizer
