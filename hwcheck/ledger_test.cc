#include "hwcheck/ledger.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "hwcheck/hwcheck_test_util.h"

namespace hai::hwcheck {
namespace {

using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

std::vector<AssetRecord> Assets() {
  return {{"n1", "npu", "1", "Huawei", "Ascend910B3", "NPU-B", "24.1", "npu-smi"},
          {"n1", "npu", "0", "Huawei", "Ascend910B3", "NPU-A", "24.1", "npu-smi"},
          {"n1", "system", "", "Acme, \"Big\" Servers", "X1\nrev2", "SYS-1", "", "redfish"}};
}

TEST(LedgerTest, CsvHeaderSortedRowsAndQuoting) {
  const std::string csv = RenderLedgerCsv(Assets());
  EXPECT_EQ(csv,
            "node,kind,slot,vendor,model,serial,version,source\r\n"
            "n1,npu,0,Huawei,Ascend910B3,NPU-A,24.1,npu-smi\r\n"
            "n1,npu,1,Huawei,Ascend910B3,NPU-B,24.1,npu-smi\r\n"
            "n1,system,,\"Acme, \"\"Big\"\" Servers\",\"X1\nrev2\",SYS-1,,redfish\r\n");
}

TEST(LedgerTest, JsonRoundTrip) {
  auto back = ParseLedgerJson(RenderLedgerJson(Assets()), "l.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].serial, "NPU-A");  // sorted by node, kind, slot
  EXPECT_EQ((*back)[2].vendor, "Acme, \"Big\" Servers");
  auto bad = ParseLedgerJson(R"({"assets":[{"node":"n1","kind":3}]})", "l.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("l.json: assets[0].kind: expected a string"),
            std::string::npos)
      << bad.status().message();
}

TEST(LedgerTest, DiffAddedRemovedChanged) {
  std::vector<AssetRecord> before = Assets();
  std::vector<AssetRecord> after = Assets();
  after[0].serial = "NPU-B2";  // npu 1 replaced
  after[0].version = "24.2";
  after.erase(after.begin() + 1);  // npu 0 gone
  after.push_back({"n1", "disk", "sda", "", "SSD", "D-1", "", "smartctl"});
  LedgerDiff diff = DiffLedgers(before, after);
  ASSERT_EQ(diff.added.size(), 1u);
  EXPECT_EQ(diff.added[0].slot, "sda");
  ASSERT_EQ(diff.removed.size(), 1u);
  EXPECT_EQ(diff.removed[0].serial, "NPU-A");
  ASSERT_EQ(diff.changed.size(), 1u);
  EXPECT_EQ(diff.changed[0].slot, "1");
  ASSERT_EQ(diff.changed[0].fields.size(), 2u);
  EXPECT_EQ(diff.changed[0].fields[0].field, "serial");
  EXPECT_EQ(diff.changed[0].fields[0].before, "NPU-B");
  EXPECT_EQ(diff.changed[0].fields[0].after, "NPU-B2");
  EXPECT_EQ(diff.changed[0].fields[1].field, "version");
  const std::string text = RenderLedgerDiffText(diff);
  EXPECT_NE(text.find("+ n1 disk sda"), std::string::npos);
  EXPECT_NE(text.find("- n1 npu 0"), std::string::npos);
  EXPECT_NE(text.find("~ n1 npu 1 serial: NPU-B -> NPU-B2"), std::string::npos);
  EXPECT_TRUE(DiffLedgers(before, before).empty());
}

TEST(LedgerTest, WriteLedgerFirstThenWithDiff) {
  TempDir dir;
  const std::string path = dir.File("ledger.json");
  auto first = WriteLedger(path, Assets());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->has_previous);
  EXPECT_EQ(first->csv_path, dir.File("ledger.csv"));
  EXPECT_EQ(ReadText(dir.File("ledger.csv")), RenderLedgerCsv(Assets()));
  EXPECT_FALSE(std::filesystem::exists(dir.File("ledger.diff.json")));

  std::vector<AssetRecord> next = Assets();
  next[2].serial = "SYS-2";
  auto second = WriteLedger(path, next);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->has_previous);
  EXPECT_EQ(second->diff_path, dir.File("ledger.diff.json"));
  ASSERT_EQ(second->diff.changed.size(), 1u);
  const std::string diff_json = ReadText(dir.File("ledger.diff.json"));
  EXPECT_NE(diff_json.find("\"SYS-2\""), std::string::npos);
  EXPECT_NE(diff_json.find("\"SYS-1\""), std::string::npos);
  auto reread = ParseLedgerJson(ReadText(path), path);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ((*reread)[2].serial, "SYS-2");
}

TEST(LedgerTest, BrokenPreviousLedgerIsAnErrorNamingIt) {
  TempDir dir;
  WriteText(dir.File("ledger.json"), "{");
  auto w = WriteLedger(dir.File("ledger.json"), Assets());
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("ledger.json"), std::string::npos);
  EXPECT_EQ(ReadText(dir.File("ledger.json")), "{");  // left as it was
}

}  // namespace
}  // namespace hai::hwcheck
