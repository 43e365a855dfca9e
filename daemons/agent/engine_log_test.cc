#include "daemons/agent/engine_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hai::agent {
namespace {

// Built with append: GCC 12 warns (-Wrestrict) on some chained string +.
std::string Line(const char* prefix, int i, const char* suffix) {
  std::string s = prefix;
  s.append(std::to_string(i));
  s.append(suffix);
  return s;
}

class EngineLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("hai-engine-log-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/engine.log";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_, path_;
};

TEST_F(EngineLogTest, RotatesBySizeAndKeepsTheNewestFiles) {
  RotatingLog log(path_, 20, 2);
  ASSERT_TRUE(log.Open().ok());
  for (int i = 0; i < 6; ++i) log.Write(Line("line ", i, " .....\n"));  // 13 bytes each
  // Each write past 20 bytes starts a new file; two rotated files are kept.
  EXPECT_EQ(Read(path_), "line 5 .....\n");
  EXPECT_EQ(Read(path_ + ".1"), "line 4 .....\n");
  EXPECT_EQ(Read(path_ + ".2"), "line 3 .....\n");
  EXPECT_FALSE(std::filesystem::exists(path_ + ".3"));
  log.Note("hello");
  EXPECT_EQ(Read(path_ + ".1"), "line 5 .....\n");
  EXPECT_EQ(Read(path_), "[hai-agent] hello\n");
}

TEST_F(EngineLogTest, AppendsToAnExistingFile) {
  std::ofstream(path_) << "before\n";
  RotatingLog log(path_, 1 << 20, 3);
  ASSERT_TRUE(log.Open().ok());
  log.Write("after\n");
  EXPECT_EQ(Read(path_), "before\nafter\n");
}

TEST_F(EngineLogTest, TailReachesIntoRotatedFiles) {
  RotatingLog log(path_, 30, 3);
  ASSERT_TRUE(log.Open().ok());
  for (int i = 0; i < 10; ++i) log.Write(Line("l", i, "\n"));
  EXPECT_EQ(TailLog(path_, 3, 2), "l8\nl9\n");
  EXPECT_EQ(TailLog(path_, 3, 10), "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n");
  EXPECT_EQ(TailLog(path_, 3, 0), "");
  // Without rotated files only the current one counts.
  std::string current = Read(path_);
  EXPECT_EQ(TailLog(path_, 0, 100), current);
  EXPECT_EQ(TailLog(dir_ + "/missing.log", 3, 5), "");
}

TEST_F(EngineLogTest, TailCountsAnUnfinishedLastLine) {
  std::ofstream(path_) << "a\nb\nc";
  EXPECT_EQ(TailLog(path_, 0, 2), "b\nc");
  EXPECT_EQ(TailLog(path_, 0, 1), "c");
  // Up to an offset: the part a follower will read later is left out.
  EXPECT_EQ(TailLog(path_, 0, 5, 4), "a\nb\n");
}

TEST_F(EngineLogTest, TailOfLongLogsReadsBackwardsAcrossChunks) {
  std::ofstream out(path_);
  for (int i = 0; i < 20000; ++i) out << "line number " << i << "\n";
  out.close();
  std::string tail = TailLog(path_, 0, 3);
  EXPECT_EQ(tail, "line number 19997\nline number 19998\nline number 19999\n");
  std::string many = TailLog(path_, 0, 10000);
  EXPECT_EQ(std::count(many.begin(), many.end(), '\n'), 10000);
  EXPECT_EQ(many.rfind("line number 10000\n", 0), 0u);
}

TEST_F(EngineLogTest, FollowerSeesNewLinesAcrossRotation) {
  RotatingLog log(path_, 40, 1);
  ASSERT_TRUE(log.Open().ok());
  log.Write("old line\n");
  LogFollower follower(path_);
  EXPECT_EQ(follower.Next(), "");  // starts at the end
  log.Write("first ");
  EXPECT_EQ(follower.Next(), "") << "half a line waits for its newline";
  log.Write("new line\n");
  EXPECT_EQ(follower.Next(), "first new line\n");
  // These writes rotate the file (40 bytes) twice; nothing is lost or repeated.
  std::string expected;
  for (int i = 0; i < 6; ++i) {
    std::string line = Line("rotating line ", i, "\n");
    log.Write(line);
    expected += line;
    if (i % 2 == 1) {
      std::string got = follower.Next();
      EXPECT_EQ(got, expected.substr(0, got.size()));
      expected = expected.substr(got.size());
    }
  }
  EXPECT_EQ(follower.Next(), expected);
}

TEST_F(EngineLogTest, FollowerWaitsForAFileThatDoesNotExistYet) {
  LogFollower follower(path_);
  EXPECT_EQ(follower.Next(), "");
  std::ofstream(path_) << "first\n";
  EXPECT_EQ(follower.Next(), "first\n");
}

}  // namespace
}  // namespace hai::agent
