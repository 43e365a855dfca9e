#include "lib/base/percent_encoding.h"

#include <gtest/gtest.h>

namespace hai {
namespace {

TEST(PercentEncodingTest, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("Az09-._~"), "Az09-._~");
  EXPECT_EQ(PercentEncode("p@ss:w/rd %"), "p%40ss%3Aw%2Frd%20%25");
  EXPECT_EQ(PercentEncode(std::string("\xff\x01", 2)), "%FF%01");
  EXPECT_EQ(PercentEncode("a/b c", "/"), "a/b%20c");
  EXPECT_EQ(PercentEncode(""), "");
}

}  // namespace
}  // namespace hai
