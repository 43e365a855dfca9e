#include "lib/base/sha256.h"

#include <gtest/gtest.h>

#include "lib/base/random.h"

namespace hai {
namespace {

TEST(Sha256Test, KnownDigestAndPiecesEqualTheWhole) {
  Sha256 abc;
  abc.Update("abc");
  EXPECT_EQ(abc.FinishHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string text(100'000, 'x');
  Sha256 pieces;
  for (size_t at = 0; at < text.size(); at += 4093)
    pieces.Update(std::string_view(text).substr(at, 4093));
  EXPECT_EQ(pieces.FinishHex(), Sha256Hex(text));
  Sha256 empty;
  EXPECT_EQ(empty.FinishHex(), Sha256Hex(""));
}

}  // namespace
}  // namespace hai
