#include "lib/accel/tool_text.h"

#include <gtest/gtest.h>

namespace hai::accel {
namespace {

TEST(ToolTextTest, ParsesNumbersWithUnitsAndRejectsPlaceholders) {
  EXPECT_EQ(ParseToolNumber(" 81559 MiB"), 81559);
  EXPECT_EQ(ParseToolNumber("45 %"), 45);
  EXPECT_EQ(ParseToolNumber("300.10 W"), 300.1);
  EXPECT_EQ(ParseToolNumber("70.5"), 70.5);
  for (const char* s : {"N/A", "[N/A]", "NA", "-", "[Not Supported]", "", "12 apples"})
    EXPECT_EQ(ParseToolNumber(s), std::nullopt) << s;
}

TEST(ToolTextTest, KeyValueBlocksSplitOnBlankLinesAndRepeatedKeys) {
  auto blocks = ParseKeyValueBlocks(
      "\tChip ID     : 0\n\tName   : a\n\tChip ID : 1\n\tName : b\n\n\tOther : x : y\nnoise\n");
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].at("Name"), "a");
  EXPECT_EQ(blocks[1].at("Chip ID"), "1");
  EXPECT_EQ(blocks[2].at("Other"), "x : y");
}

TEST(ToolTextTest, LinkIslandsFromAMatrix) {
  auto hccs = [](std::string_view c) { return c == "HCCS"; };
  // Two islands of two, and NPU4 linked to nobody.
  const char* text =
      "      NPU0 NPU1 NPU2 NPU3 NPU4 CPU Affinity\n"
      "NPU0  X    HCCS SYS  SYS  SYS  0-23\n"
      "NPU1  HCCS X    SYS  SYS  SYS  0-23\n"
      "NPU2  SYS  SYS  X    HCCS SYS  24-47\n"
      "NPU3  SYS  SYS  HCCS X    SYS  24-47\n"
      "NPU4  SYS  SYS  SYS  SYS  X    24-47\n";
  EXPECT_EQ(ParseLinkIslands(text, "NPU", hccs), (std::vector<int>{0, 0, 1, 1, -1}));
  EXPECT_TRUE(ParseLinkIslands("no matrix here\n", "NPU", hccs).empty());
}

}  // namespace
}  // namespace hai::accel
