#include "lib/http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hai::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("hai-static-" + std::to_string(getpid()));
    std::filesystem::create_directories(root_ / "web" / "assets");
    std::ofstream(root_ / "web" / "index.html") << "<html>app</html>";
    std::ofstream(root_ / "web" / "assets" / "app.js") << "console.log(1)";
    std::ofstream(root_ / "secret.txt") << "secret";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string dir() { return (root_ / "web").string(); }
  std::filesystem::path root_;
};

TEST_F(StaticFilesTest, ServesFilesAndFallsBackForRoutes) {
  auto idx = ServeStatic(dir(), "/");
  ASSERT_TRUE(idx);
  EXPECT_EQ(idx->body, "<html>app</html>");
  auto js = ServeStatic(dir(), "/assets/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  auto route = ServeStatic(dir(), "/orgs/12");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->body, "<html>app</html>");
  EXPECT_FALSE(ServeStatic(dir(), "/assets/missing.js"));
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  EXPECT_FALSE(ServeStatic(dir(), "/../secret.txt"));
  EXPECT_FALSE(ServeStatic(dir(), "/assets/../../secret.txt"));
  EXPECT_FALSE(ServeStatic(dir(), "/..\\secret.txt"));
  EXPECT_FALSE(ServeStatic(dir(), "/./index.html"));
}

}  // namespace
}  // namespace hai::http
