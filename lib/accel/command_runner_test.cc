#include "lib/accel/command_runner.h"

#include <gtest/gtest.h>

#include "lib/accel/accel_testdata.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::accel {
namespace {

using std::chrono::milliseconds;

TEST(SubprocessRunnerTest, CapturesStdoutStderrAndExitCode) {
  SubprocessRunner runner;
  auto out = runner.Run({"/bin/sh", "-c", "echo hello; echo oops >&2; exit 3"}, milliseconds(5000));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->exit_code, 3);
  EXPECT_EQ(out->stdout_text, "hello\n");
  EXPECT_EQ(out->stderr_text, "oops\n");
}

TEST(SubprocessRunnerTest, FeedsInputLargerThanAPipeWhileReadingOutput) {
  // 1 MiB each way: the tool blocks writing its output unless we read while
  // we write, and we block writing unless it reads.
  std::string input;
  for (int i = 0; input.size() < (1u << 20); ++i) input += "line " + std::to_string(i) + "\n";
  SubprocessRunner runner;
  auto out = runner.RunWithInput({"cat"}, input, milliseconds(20000));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_EQ(out->stdout_text, input);
}

TEST(SubprocessRunnerTest, AToolThatReadsNoInputStillEnds) {
  SubprocessRunner runner;
  auto out = runner.RunWithInput({"/bin/sh", "-c", "echo done"}, std::string(1 << 20, 'x'),
                                 milliseconds(20000));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_EQ(out->stdout_text, "done\n");
}

TEST(SubprocessRunnerTest, FindsBareNamesInPath) {
  SubprocessRunner runner("/usr/bin:/bin");
  auto out = runner.Run({"echo", "a", "b"}, milliseconds(5000));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->stdout_text, "a b\n");
  EXPECT_EQ(out->exit_code, 0);
}

TEST(SubprocessRunnerTest, MissingToolIsUnavailableNotACrash) {
  SubprocessRunner runner;
  auto out = runner.Run({"npu-smi-surely-not-installed", "info"}, milliseconds(1000));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kUnavailable);
  EXPECT_EQ(out.status().message(), "npu-smi-surely-not-installed not found");
  EXPECT_EQ(SubprocessRunner("/nonexistent").Run({"echo"}, milliseconds(1000)).status().message(),
            "echo not found");
  EXPECT_EQ(runner.Run({"/no/such/npu-smi"}, milliseconds(1000)).status().message(),
            "/no/such/npu-smi not found");
  EXPECT_EQ(runner.Run({}, milliseconds(1000)).status().code(), Code::kInvalidArgument);
}

TEST(SubprocessRunnerTest, KillsAToolThatRunsPastItsTimeout) {
  SubprocessRunner runner;
  auto out = runner.Run({"/bin/sleep", "10"}, milliseconds(150));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kUnavailable);
  EXPECT_NE(out.status().message().find("timed out after 150 ms"), std::string::npos);
  // One that closes its output and lingers is caught too.
  out = runner.Run({"/bin/sh", "-c", "exec >&- 2>&-; sleep 10"}, milliseconds(150));
  EXPECT_NE(out.status().message().find("timed out"), std::string::npos);
}

TEST(RunForStdoutTest, NonZeroExitBecomesAnErrorWithWhatTheToolSaid) {
  FakeCommandRunner fake;
  fake.AddOutput({"npu-smi", "info"}, "", 2, "dcmi module initialize failed. ret is -8005\nmore");
  auto out = RunForStdout(fake, {"npu-smi", "info"}, milliseconds(100));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "npu-smi info exited with 2: dcmi module initialize failed. ret is -8005");
}

TEST(FakeCommandRunnerTest, ServesRecordedOutputsAndTreatsOthersAsMissingTools) {
  FakeCommandRunner fake;
  fake.AddFile({"nvidia-smi", "topo", "-m"}, testing::Testdata("nvidia/topo-m-h100x2.txt"));
  fake.AddOutput({"x", "y"}, "text\n");
  fake.AddTimeout({"slow"});
  auto topo = fake.Run({"nvidia-smi", "topo", "-m"}, milliseconds(1));
  ASSERT_TRUE(topo.ok());
  EXPECT_EQ(topo->stdout_text.find("# fixture"), std::string::npos);  // provenance header stripped
  EXPECT_NE(topo->stdout_text.find("GPU0"), std::string::npos);
  EXPECT_EQ(fake.Run({"x", "y"}, milliseconds(1))->stdout_text, "text\n");
  EXPECT_EQ(fake.Run({"slow"}, milliseconds(7)).status().message(), "slow timed out after 7 ms");
  auto missing = fake.Run({"mx-smi"}, milliseconds(1));
  EXPECT_EQ(missing.status().code(), Code::kUnavailable);
  EXPECT_EQ(missing.status().message(), "mx-smi not found");
  EXPECT_EQ(fake.calls(),
            (std::vector<std::string>{"nvidia-smi topo -m", "x y", "slow", "mx-smi"}));
}

}  // namespace
}  // namespace hai::accel
