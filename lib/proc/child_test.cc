#include "lib/proc/child.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

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

// What a child writes on stdout, with our stdout pointed at a file meanwhile.
std::string ChildStdout(bool to_stderr) {
  std::string path = "/tmp/hai-child-test-" + std::to_string(getpid());
  std::fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(file, STDOUT_FILENO);
  close(file);
  SpawnOptions options{{"/bin/sh", "-c", "echo out"}};
  options.stdout_to_stderr = to_stderr;
  auto child = Child::Spawn(options);
  std::optional<int> status = child.ok() ? WaitExit(*child) : std::nullopt;
  dup2(saved, STDOUT_FILENO);
  close(saved);
  EXPECT_EQ(status, 0);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  unlink(path.c_str());
  return text.str();
}

TEST(ChildTest, StdoutCanGoToStderr) {
  EXPECT_EQ(ChildStdout(false), "out\n");
  EXPECT_EQ(ChildStdout(true), "") << "the line went to stderr instead";
}

}  // namespace
}  // namespace hai::proc
