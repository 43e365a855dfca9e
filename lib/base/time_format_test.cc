#include "lib/base/time_format.h"

#include <gtest/gtest.h>

namespace hai {
namespace {

TEST(TimeFormatTest, RoundTrip) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  int64_t t = 1795342800123;  // 2026-11-22T10:20:00.123Z
  EXPECT_EQ(FormatIso8601(t), "2026-11-22T10:20:00.123Z");
  EXPECT_EQ(ParseTime(FormatIso8601(t)), t);
}

TEST(TimeFormatTest, AcceptsDatesOffsetsAndEpochMs) {
  EXPECT_EQ(ParseTime("2026-11-22"), 1795305600000);
  EXPECT_EQ(ParseTime("2026-11-22T18:20:00+08:00"), 1795342800000);
  EXPECT_EQ(ParseTime("2026-11-22T10:20:00Z"), 1795342800000);
  EXPECT_EQ(ParseTime("1795342800123"), 1795342800123);
}

TEST(TimeFormatTest, RejectsGarbage) {
  EXPECT_FALSE(ParseTime(""));
  EXPECT_FALSE(ParseTime("yesterday"));
  EXPECT_FALSE(ParseTime("2026-13-01"));
  EXPECT_FALSE(ParseTime("2026-11-22T25:00:00Z"));
  EXPECT_FALSE(ParseTime("2026-11-22T10:00:00Zjunk"));
  EXPECT_FALSE(ParseTime("12ab"));
}

}  // namespace
}  // namespace hai
