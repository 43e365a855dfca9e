#include "lib/config/config_file.h"

#include <gtest/gtest.h>

namespace hai::config {
namespace {

TEST(ConfigFileTest, ReadsTypedValuesAndKeepsDefaults) {
  auto file = File::Parse("[portal]\nport = 9090\nlisten = \"0.0.0.0\"\nflag = true\n"
                          "names = [\"a\", \"b\"]\n",
                          "hai.toml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  Section s = file->Get("portal");
  int port = 8080;
  std::string listen, absent = "default";
  bool flag = false;
  std::vector<std::string> names;
  s.Read("port", &port, 0, 65535);
  s.Read("listen", &listen);
  s.Read("absent", &absent);
  s.Read("flag", &flag);
  s.Read("names", &names);
  EXPECT_TRUE(s.Finish().ok());
  EXPECT_EQ(port, 9090);
  EXPECT_EQ(listen, "0.0.0.0");
  EXPECT_EQ(absent, "default");
  EXPECT_TRUE(flag);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
}

TEST(ConfigFileTest, UnknownKeyNamesFileAndKey) {
  auto file = File::Parse("[portal]\nprot = 1\n", "/etc/hai/hai.toml");
  ASSERT_TRUE(file.ok());
  Section s = file->Get("portal");
  int port = 8080;
  s.Read("port", &port, 0, 65535);
  Status st = s.Finish();
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "/etc/hai/hai.toml: portal.prot: unknown key");
}

TEST(ConfigFileTest, WrongTypeAndRange) {
  auto file = File::Parse("[portal]\nport = \"x\"\nthreads = 0\n", "f.toml");
  ASSERT_TRUE(file.ok());
  Section s = file->Get("portal");
  int port = 1, threads = 4;
  s.Read("port", &port, 0, 65535);
  s.Read("threads", &threads, 1, 256);
  Status st = s.Finish();
  EXPECT_EQ(st.message(), "f.toml: portal.port: expected an integer");
  EXPECT_EQ(port, 1);
}

TEST(ConfigFileTest, RangeError) {
  auto file = File::Parse("[portal]\nthreads = 0\n", "f.toml");
  Section s = file->Get("portal");
  int threads = 4;
  s.Read("threads", &threads, 1, 256);
  EXPECT_EQ(s.Finish().field(), "portal.threads");
  EXPECT_EQ(threads, 4);
}

TEST(ConfigFileTest, SyntaxErrorHasLine) {
  auto file = File::Parse("[portal\n", "f.toml");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("f.toml:1:"), std::string::npos);
}

TEST(ConfigFileTest, UnknownSection) {
  auto file = File::Parse("[protal]\n", "f.toml");
  ASSERT_TRUE(file.ok());
  Status st = file->CheckSections(KnownSections());
  EXPECT_EQ(st.message(), "f.toml: protal: unknown section");
}

TEST(ConfigFileTest, MissingFile) {
  auto file = File::Load("/nonexistent/hai.toml");
  EXPECT_FALSE(file.ok());
}

}  // namespace
}  // namespace hai::config
