#include "daemons/agent/leftover_engines.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemons/agent/tests/process_testing.h"
#include "lib/proc/child.h"

namespace hai::agent {
namespace {

using testing::Running;

class LeftoverEnginesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("hai-leftovers-" + std::to_string(getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/rep-a");
    std::filesystem::create_directories(dir_ + "/rep-b");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// An engine group as a crashed agent leaves it: a leader and a worker.
TEST_F(LeftoverEnginesTest, KillsRecordedGroupsAndSparesReusedPids) {
  proc::SpawnOptions o{{"/bin/sh", "-c", "sleep 60 & echo $!; wait"}};
  o.new_process_group = true;
  o.capture_output = true;
  auto engine = proc::Child::Spawn(o);
  ASSERT_TRUE(engine.ok());
  std::string line;
  char c;
  while (read(engine->output_fd(), &c, 1) == 1 && c != '\n') line += c;
  pid_t worker = static_cast<pid_t>(std::stol(line));
  ASSERT_TRUE(WritePidFile(dir_ + "/rep-a/engine.pid", engine->pid()).ok());
  // A pid file naming this test process with a start time it does not have:
  // the number was reused, so it must be left alone.
  std::ofstream(dir_ + "/rep-b/engine.pid") << getpid() << " 1\n";

  EXPECT_EQ(KillLeftoverEngines(dir_), 2);
  EXPECT_EQ(engine->Poll().value_or(-1), 128 + SIGKILL);
  EXPECT_FALSE(Running(worker));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/rep-a"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/rep-b"));
  EXPECT_TRUE(Running(getpid()));
}

TEST_F(LeftoverEnginesTest, AMissingDirectoryIsNothingToDo) {
  EXPECT_EQ(KillLeftoverEngines(dir_ + "/none"), 0);
}

}  // namespace
}  // namespace hai::agent
