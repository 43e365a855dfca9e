#include "lib/tokenizer/piece_cache.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

TEST(PieceCacheTest, RemembersAndStartsOverWhenFull) {
  PieceCache cache(2);
  const int32_t ids[] = {7, 8};
  std::vector<int32_t> out = {1};
  EXPECT_FALSE(cache.Lookup("ab", &out));
  cache.Insert("ab", ids, 2);
  EXPECT_TRUE(cache.Lookup("ab", &out));
  EXPECT_EQ(out, (std::vector<int32_t>{1, 7, 8}));  // appended
  cache.Insert("cd", ids, 1);
  EXPECT_EQ(cache.size(), 2u);
  cache.Insert("ef", ids, 1);  // full: cleared first
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.Lookup("ab", &out));
}

TEST(PieceCacheTest, LongPiecesAreNotKept) {
  PieceCache cache;
  const int32_t id = 3;
  const std::string long_piece(PieceCache::kMaxPieceBytes + 1, 'x');
  cache.Insert(long_piece, &id, 1);
  std::vector<int32_t> out;
  EXPECT_FALSE(cache.Lookup(long_piece, &out));
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace hai::tokenizer
