#include "lib/proc/child.h"

#include <gtest/gtest.h>

namespace hai::proc {
namespace {

std::optional<int> WaitExit(Child& child) {
  std::optional<int> status;
  for (int i = 0; i < 500 && !status; ++i) {
    status = child.Poll();
    if (!status) usleep(10000);
  }
  return status;
}

TEST(ChildTest, ReportsExitStatus) {
  auto child = Child::Spawn({{"/bin/sh", "-c", "exit 3"}});
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(WaitExit(*child), 3);
}

TEST(ChildTest, TerminatesAndPassesEnvironment) {
  auto child = Child::Spawn({{"/bin/sh", "-c", "test \"$HAI_X\" = 1 && exec sleep 30"}, {"HAI_X=1"}});
  ASSERT_TRUE(child.ok());
  usleep(100000);
  EXPECT_FALSE(child->Poll().has_value());  // still sleeping: the variable arrived
  EXPECT_EQ(child->Terminate(std::chrono::milliseconds(2000)), 128 + SIGTERM);
}

TEST(ChildTest, MissingProgramExits127) {
  auto child = Child::Spawn({{"/nonexistent/program"}});
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(WaitExit(*child), 127);
}

}  // namespace
}  // namespace hai::proc
