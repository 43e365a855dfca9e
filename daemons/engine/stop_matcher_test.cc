#include "daemons/engine/stop_matcher.h"

#include <gtest/gtest.h>

namespace hai::engine {
namespace {

TEST(StopMatcherTest, FindsAStopStringSplitAcrossPieces) {
  StopMatcher m({"END"}, false);
  StopMatcher::Outcome a = m.Push("abc E");
  EXPECT_EQ(a.text, "abc ");  // "E" could start "END"
  EXPECT_FALSE(a.stop);
  StopMatcher::Outcome b = m.Push("N");
  EXPECT_EQ(b.text, "");
  StopMatcher::Outcome c = m.Push("Dxyz");
  EXPECT_EQ(c.text, "");
  ASSERT_TRUE(c.stop);
  EXPECT_EQ(*c.stop, "END");
}

TEST(StopMatcherTest, ReleasesHeldTextWhenItTurnsOutNotToBeAStop) {
  StopMatcher m({"END"}, false);
  EXPECT_EQ(m.Push("xE").text, "x");
  EXPECT_EQ(m.Push("N").text, "");
  EXPECT_EQ(m.Push("d").text, "ENd");
  EXPECT_EQ(m.Push("E").text, "");
  EXPECT_EQ(m.Flush(), "E");
  EXPECT_EQ(m.Flush(), "");
}

TEST(StopMatcherTest, IncludesTheStopStringWhenAsked) {
  StopMatcher m({"END"}, true);
  EXPECT_EQ(m.Push("fooEN").text, "foo");
  StopMatcher::Outcome out = m.Push("D bar");
  EXPECT_EQ(out.text, "END");
  EXPECT_EQ(out.stop, "END");
}

TEST(StopMatcherTest, TheEarliestStopWinsThenTheFirstListed) {
  StopMatcher earliest({"bc", "abcd"}, false);
  StopMatcher::Outcome out = earliest.Push("xabcd");
  EXPECT_EQ(out.text, "x");
  EXPECT_EQ(out.stop, "abcd");

  StopMatcher listed({"ab", "abc"}, false);
  out = listed.Push("zabc");
  EXPECT_EQ(out.text, "z");
  EXPECT_EQ(out.stop, "ab");
}

TEST(StopMatcherTest, HoldsTheLongestPossibleStart) {
  StopMatcher m({"xyz", "yy"}, false);
  EXPECT_EQ(m.Push("axy").text, "a");      // "xy" may become "xyz"
  StopMatcher::Outcome out = m.Push("y");  // "xyy" contains "yy"
  EXPECT_EQ(out.text, "x");
  EXPECT_EQ(out.stop, "yy");
}

TEST(StopMatcherTest, MatchesUtf8StopStrings) {
  StopMatcher m({"🙂!", "é"}, false);
  EXPECT_EQ(m.Push("hi 🙂").text, "hi ");
  EXPECT_EQ(m.Push("?").text, "🙂?");
  StopMatcher::Outcome out = m.Push("ok 🙂!");
  EXPECT_EQ(out.text, "ok ");
  EXPECT_EQ(out.stop, "🙂!");

  StopMatcher accent({"é"}, false);
  out = accent.Push("café");
  EXPECT_EQ(out.text, "caf");
  EXPECT_EQ(out.stop, "é");
}

TEST(StopMatcherTest, BeforeMinTokensTextPassesUnchecked) {
  StopMatcher m({"END"}, false);
  StopMatcher::Outcome out = m.Push("xEND", /*may_stop=*/false);
  EXPECT_EQ(out.text, "xEND");
  EXPECT_FALSE(out.stop);
  out = m.Push("yEND");
  EXPECT_EQ(out.text, "y");
  EXPECT_EQ(out.stop, "END");
}

TEST(StopMatcherTest, WithoutStopsEverythingPasses) {
  StopMatcher m({"", ""}, false);
  EXPECT_EQ(m.Push("abc").text, "abc");
  EXPECT_EQ(m.Flush(), "");
}

}  // namespace
}  // namespace hai::engine
