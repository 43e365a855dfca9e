#include "lib/log/log.h"

#include <gtest/gtest.h>

namespace hai::log {
namespace {

TEST(LogTest, FormatsKeyValuesAndQuotes) {
  EXPECT_EQ(FormatLine(Level::kInfo, "request", {{"status", 200}, {"path", "/api/v1/orgs"}}),
            "INFO request status=200 path=/api/v1/orgs");
  EXPECT_EQ(FormatLine(Level::kError, "x", {{"reason", "two words \"q\""}, {"empty", ""}}),
            "ERROR x reason=\"two words \\\"q\\\"\" empty=\"\"");
}

TEST(LogTest, RespectsMinimumLevel) {
  std::vector<std::string> lines;
  Init("test", Level::kWarning, Sink::kStderr);
  SetCaptureForTest([&](const std::string& l) { lines.push_back(l); });
  Info("hidden");
  Warn("shown", {{"k", 1}});
  SetCaptureForTest(nullptr);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "WARN shown k=1");
}

TEST(LogTest, ParsesLevels) {
  bool ok;
  EXPECT_EQ(ParseLevel("debug", &ok), Level::kDebug);
  EXPECT_TRUE(ok);
  ParseLevel("loud", &ok);
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace hai::log
