#include "lib/proc/proc_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hai::proc {
namespace {

TEST(ProcTableTest, ParsesStatWithAwkwardNames) {
  auto p = ParseStat(
      "4242 (vllm (worker) 1) S 4200 4242 4242 0 -1 4194304 101 0 0 0 7 3 0 0 20 0 9 0 "
      "123456 3133440 2048 18446744073709551615 1 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->pid, 4242);
  EXPECT_EQ(p->comm, "vllm (worker) 1");
  EXPECT_EQ(p->state, 'S');
  EXPECT_EQ(p->ppid, 4200);
  EXPECT_EQ(p->pgid, 4242);
  EXPECT_EQ(p->start_ticks, 123456u);
  EXPECT_EQ(p->rss_bytes, 2048 * sysconf(_SC_PAGESIZE));
  EXPECT_FALSE(ParseStat("garbage").ok());
  EXPECT_FALSE(ParseStat("12 (x) S 1 2").ok());
}

// A recorded tree: two processes of group 100, one of another group.
TEST(ProcTableTest, ListsAGroupFromARecordedTree) {
  std::string root =
      (std::filesystem::temp_directory_path() / ("hai-proc-table-" + std::to_string(getpid())))
          .string();
  std::filesystem::remove_all(root);
  auto add = [&](int pid, int ppid, int pgid, const std::string& cmdline) {
    std::filesystem::create_directories(root + "/" + std::to_string(pid));
    std::ofstream(root + "/" + std::to_string(pid) + "/stat")
        << pid << " (p" << pid << ") S " << ppid << " " << pgid
        << " 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 1000 10 0\n";
    std::ofstream(root + "/" + std::to_string(pid) + "/cmdline", std::ios::binary) << cmdline;
  };
  add(100, 1, 100, std::string("engine\0--port\0001\0", 16));
  add(101, 100, 100, std::string("worker\0", 7));
  add(200, 1, 200, "");
  std::ofstream(root + "/uptime") << "15.00 3.00\n";
  ProcTable table(root);
  auto group = table.InGroup(100);
  ASSERT_EQ(group.size(), 2u);
  EXPECT_EQ(group[0].pid, 100);
  EXPECT_EQ(group[0].cmdline, (std::vector<std::string>{"engine", "--port", "1"}));
  EXPECT_EQ(group[1].ppid, 100);
  EXPECT_TRUE(table.Read(200)->cmdline.empty());
  EXPECT_EQ(table.Read(300).status().code(), Code::kNotFound);
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  EXPECT_DOUBLE_EQ(table.AgeSeconds(group[0]).value(), std::max(0.0, 15.0 - 500 / ticks));
  std::filesystem::remove_all(root);
}

TEST(ProcTableTest, ReadsThisProcess) {
  ProcTable table;
  auto self = table.Read(getpid());
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_EQ(self->pid, getpid());
  EXPECT_EQ(self->pgid, getpgrp());
  EXPECT_GT(self->rss_bytes, 0);
  EXPECT_FALSE(self->cmdline.empty());
  EXPECT_GE(table.AgeSeconds(*self).value(), 0.0);
  EXPECT_EQ(StateName('R'), "running");
}

}  // namespace
}  // namespace hai::proc
