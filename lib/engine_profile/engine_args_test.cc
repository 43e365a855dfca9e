#include "lib/engine_profile/engine_args.h"

#include <gtest/gtest.h>

namespace hai::engine_profile {
namespace {

TEST(EngineArgsTest, FlagName) {
  EXPECT_EQ(FlagName("--max-model-len"), "--max-model-len");
  EXPECT_EQ(FlagName("--max-model-len=4096"), "--max-model-len");
  EXPECT_EQ(FlagName("-ngl"), "-ngl");
  EXPECT_EQ(FlagName("4096"), "");
  EXPECT_EQ(FlagName("-1"), "");
  EXPECT_EQ(FlagName("-.5"), "");
  EXPECT_EQ(FlagName("-"), "");
  EXPECT_EQ(FlagName("/models/q.gguf"), "");
}

TEST(EngineArgsTest, AcceptsOrdinaryArguments) {
  std::vector<std::string> args = {"--max-model-len",
                                   "8192",
                                   "--enforce-eager",
                                   "--override-generation-config",
                                   R"({"temperature": 0.6})",
                                   "--kv-cache-dtype=fp8",
                                   "--seed",
                                   "-1",
                                   ""};
  Status st = CheckEngineArgs(args);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(EngineArgsTest, RefusesShellSyntax) {
  for (std::string bad :
       {"8192; rm -rf /", "a|b", "a && b", "`id`", "$(id)", "${HOME}", "> out", "< in"}) {
    Status st = CheckEngineArgs({"--max-model-len", bad});
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.field(), "args[1]");
    EXPECT_NE(st.message().find("never through a shell"), std::string::npos) << st.message();
  }
}

TEST(EngineArgsTest, RefusesFlagAndValueInOneArgument) {
  Status st = CheckEngineArgs({"--enforce-eager", "--max-model-len 4096"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.field(), "args[1]");
  EXPECT_NE(st.message().find("give --max-model-len and its value as two arguments"),
            std::string::npos)
      << st.message();
  // A value with spaces is fine; so is a flag joined to its value with '='.
  EXPECT_TRUE(CheckEngineArgs({"--chat-template", "/etc/templates/my chat.jinja"}).ok());
  EXPECT_TRUE(CheckEngineArgs({"--api-key=a b"}).ok());
}

TEST(EngineArgsTest, RefusesControlCharactersAndOversizedInput) {
  EXPECT_EQ(CheckEngineArgs({"ok", "line\nbreak"}).field(), "args[1]");
  EXPECT_FALSE(CheckEngineArgs({std::string(kMaxEngineArgBytes + 1, 'a')}).ok());
  EXPECT_FALSE(CheckEngineArgs(std::vector<std::string>(kMaxEngineArgs + 1, "x")).ok());
  EXPECT_TRUE(CheckEngineArgs(std::vector<std::string>(kMaxEngineArgs, "x")).ok());
}

TEST(EngineArgsTest, EnvNames) {
  EXPECT_TRUE(IsValidEnvName("VLLM_USE_V1"));
  EXPECT_TRUE(IsValidEnvName("_x1"));
  EXPECT_FALSE(IsValidEnvName("1X"));
  EXPECT_FALSE(IsValidEnvName("A-B"));
  EXPECT_FALSE(IsValidEnvName(""));
}

TEST(EngineArgsTest, EnvValues) {
  EXPECT_TRUE(CheckEngineEnv({{"HF_HUB_OFFLINE", "1"}, {"PATHS", "/a b:/c"}}).ok());
  Status bad_name = CheckEngineEnv({{"A=B", "1"}});
  EXPECT_EQ(bad_name.field(), "env");
  Status bad_value = CheckEngineEnv({{"X", "a\nb"}});
  EXPECT_EQ(bad_value.field(), "env.X");
}

}  // namespace
}  // namespace hai::engine_profile
