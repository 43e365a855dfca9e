#include "lib/proc/child.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "lib/proc/proc_table.h"

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
  auto child =
      Child::Spawn({{"/bin/sh", "-c", "test \"$HAI_X\" = 1 && exec sleep 30"}, {"HAI_X=1"}});
  ASSERT_TRUE(child.ok());
  usleep(100000);
  EXPECT_FALSE(child->Poll().has_value());  // still sleeping: the variable arrived
  EXPECT_EQ(child->Terminate(std::chrono::milliseconds(2000)), 128 + SIGTERM);
}

TEST(ChildTest, MissingProgramIsAnError) {
  auto child = Child::Spawn({{"/nonexistent/program"}});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), Code::kNotFound);
  EXPECT_NE(child.status().message().find("/nonexistent/program"), std::string::npos);
  auto bare = Child::Spawn({{"hai-no-such-program-anywhere"}});
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), Code::kNotFound);
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

namespace hai::proc {
namespace {

// Reads the pipe until EOF (bounded by the child's own short life).
std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Running, not merely a zombie nobody has reaped yet.
bool Alive(pid_t pid) {
  auto p = ProcTable().Read(pid);
  return p.ok() && p->state != 'Z';
}

TEST(ChildTest, CapturesStdoutAndStderrInOnePipe) {
  SpawnOptions o{{"/bin/sh", "-c", "echo out; echo err >&2"}};
  o.capture_output = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ASSERT_GE(child->output_fd(), 0);
  EXPECT_EQ(ReadAll(child->output_fd()), "out\nerr\n");
  EXPECT_EQ(WaitExit(*child), 0);
}

TEST(ChildTest, FindsBareNamesOnPathAndRunsInWorkingDirectory) {
  SpawnOptions o{{"sh", "-c", "pwd"}};
  o.capture_output = true;
  o.working_dir = "/tmp";
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  EXPECT_EQ(ReadAll(child->output_fd()), "/tmp\n");
  EXPECT_EQ(WaitExit(*child), 0);

  o.working_dir = "/nonexistent-dir";
  auto bad = Child::Spawn(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("/nonexistent-dir"), std::string::npos);
}

TEST(ChildTest, EnvironmentEntriesReplaceOurs) {
  setenv("HAI_CHILD_TEST_VAR", "ours", 1);
  SpawnOptions o{
      {"/bin/sh", "-c", "echo \"$HAI_CHILD_TEST_VAR\"; env | grep -c '^HAI_CHILD_TEST_VAR='"},
      {"HAI_CHILD_TEST_VAR=theirs"}};
  o.capture_output = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(ReadAll(child->output_fd()), "theirs\n1\n");
  EXPECT_EQ(WaitExit(*child), 0);
  unsetenv("HAI_CHILD_TEST_VAR");
}

TEST(ChildTest, SystemdNotifyVariablesAreNotInherited) {
  setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
  setenv("WATCHDOG_PID", "1", 1);
  setenv("WATCHDOG_USEC", "30000000", 1);
  SpawnOptions o{
      {"/bin/sh", "-c", "env | grep -c -E '^(NOTIFY_SOCKET|WATCHDOG_PID|WATCHDOG_USEC)=' || true"}};
  o.capture_output = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(ReadAll(child->output_fd()), "0\n");
  EXPECT_EQ(WaitExit(*child), 0);
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");
}

TEST(ChildTest, FindProgramSearchesEachDirectory) {
  EXPECT_EQ(FindProgram("sh", "/nonexistent:/bin").value(), "/bin/sh");
  EXPECT_EQ(FindProgram("/x/y", "").value(), "/x/y");
  EXPECT_EQ(FindProgram("sh", "/nonexistent").status().code(), Code::kNotFound);
}

TEST(ChildTest, ReportsTheKillingSignal) {
  auto child = Child::Spawn({{"/bin/sh", "-c", "kill -9 $$"}});
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(WaitExit(*child), 128 + SIGKILL);
  EXPECT_EQ(child->term_signal(), SIGKILL);
  auto plain = Child::Spawn({{"/bin/sh", "-c", "exit 137"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(WaitExit(*plain), 137);
  EXPECT_FALSE(plain->term_signal().has_value()) << "an exit code is not a signal";
}

// The group leader starts a grandchild that ignores SIGTERM; terminating the
// group leaves nothing behind.
TEST(ChildTest, TerminateEndsTheWholeGroup) {
  SpawnOptions o{{"/bin/sh", "-c", "sh -c 'trap \"\" TERM; echo $$; exec sleep 60' & wait"}};
  o.capture_output = true;
  o.new_process_group = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok());
  std::string line;
  char c;
  while (read(child->output_fd(), &c, 1) == 1 && c != '\n') line += c;
  pid_t grandchild = static_cast<pid_t>(std::stol(line));
  EXPECT_EQ(getpgid(grandchild), child->pid());
  child->Terminate(std::chrono::milliseconds(500));
  // The grandchild was killed; its parent's exit reparented it to init, which reaps it.
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !Alive(grandchild);
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
}

// A leader that exits leaves no member of its group running.
TEST(ChildTest, GroupMembersDieWithTheLeader) {
  SpawnOptions o{{"/bin/sh", "-c", "sleep 60 & echo $!; exit 2"}};
  o.capture_output = true;
  o.new_process_group = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok());
  std::string line;
  char c;
  while (read(child->output_fd(), &c, 1) == 1 && c != '\n') line += c;
  pid_t sleeper = static_cast<pid_t>(std::stol(line));
  EXPECT_EQ(WaitExit(*child), 2);
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !Alive(sleeper);
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
}

TEST(ChildTest, InheritsNoDescriptorsBeyondStderr) {
  int fd = open("/dev/null", O_RDONLY);  // without O_CLOEXEC on purpose
  ASSERT_GE(fd, 3);
  SpawnOptions o{{"/bin/sh", "-c", "ls /proc/self/fd"}};
  o.capture_output = true;
  auto child = Child::Spawn(o);
  ASSERT_TRUE(child.ok());
  std::string fds = ReadAll(child->output_fd());
  EXPECT_EQ(WaitExit(*child), 0);
  close(fd);
  // 0, 1, 2 and the descriptor ls itself opens to list the directory.
  std::istringstream lines(fds);
  int count = 0;
  for (std::string l; std::getline(lines, l);) count += !l.empty();
  EXPECT_LE(count, 4) << fds;
}

}  // namespace
}  // namespace hai::proc
