#include "daemons/model/model_tool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "lib/checkpoint/test_dir.h"

namespace hai::model {
namespace {

using checkpoint::TestDir;
using ::testing::HasSubstr;

class ModelToolTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "hai-model");
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunModelTool(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  TestDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(ModelToolTest, InitThenInspect) {
  ASSERT_EQ(
      Run({"init", "--out",           dir_.Path("m"), "--arch",       "llama", "--layers",
           "1",    "--hidden",        "32",           "--heads",      "4",     "--kv-heads",
           "2",    "--vocab",         "700",          "--seed",       "5",     "--intermediate",
           "96",   "--max-position",  "256",          "--rope-theta", "10000", "--dtype",
           "bf16", "--tie-embeddings"}),
      0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("wrote " + dir_.Path("m") + ": llama, 1 layer, hidden 32"));
  EXPECT_THAT(out_.str(), HasSubstr("tokenizer 700 tokens"));

  ASSERT_EQ(Run({"inspect", dir_.Path("m")}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("architecture   llama (LlamaForCausalLM)"));
  EXPECT_THAT(out_.str(), HasSubstr("intermediate   96"));
  EXPECT_THAT(out_.str(), HasSubstr("max position   256"));
  EXPECT_THAT(out_.str(), HasSubstr("chat format    llama3"));

  ASSERT_EQ(Run({"inspect", "--json", dir_.Path("m")}), 0) << err_.str();
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["arch"], "llama");
  EXPECT_EQ(j["intermediate_size"], 96);
  EXPECT_EQ(j["dtypes"], nlohmann::json({{"BF16", 11}}));
}

TEST_F(ModelToolTest, BertCrossEncoder) {
  ASSERT_EQ(Run({"init", "--out", dir_.Path("b"), "--arch", "bert", "--layers", "1", "--hidden",
                 "32", "--heads", "2", "--vocab", "400", "--num-labels", "1"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"inspect", dir_.Path("b")}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("bert (BertForSequenceClassification)"));
  EXPECT_THAT(out_.str(), HasSubstr("labels         1"));
  EXPECT_THAT(out_.str(), ::testing::Not(HasSubstr("chat format")));
}

TEST_F(ModelToolTest, BadArgumentsExitTwoWithAMessage) {
  EXPECT_EQ(Run({"init", "--out", dir_.Path("x"), "--arch", "gpt2", "--layers", "1", "--hidden",
                 "32", "--heads", "4", "--vocab", "400"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("hai-model init: --arch must be qwen2, llama or bert"));
  EXPECT_EQ(Run({"init", "--out", dir_.Path("x"), "--arch", "qwen2", "--layers", "1", "--hidden",
                 "32", "--heads", "4", "--kv-heads", "3", "--vocab", "400"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--kv-heads 3 does not divide --heads 4"));
  EXPECT_EQ(Run({"init", "--arch", "qwen2"}), 2);  // --out and sizes missing
  EXPECT_THAT(err_.str(), HasSubstr("--out"));
  EXPECT_EQ(Run({"init", "--out", dir_.Path("x"), "--arch", "qwen2", "--layers", "one", "--hidden",
                 "32", "--heads", "4", "--vocab", "400"}),
            2);
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("init"));
}

TEST_F(ModelToolTest, NonEmptyOutNeedsForce) {
  std::vector<std::string> args = {"init",     "--out",   dir_.Path("m"), "--arch", "qwen2",
                                   "--layers", "1",       "--hidden",     "32",     "--heads",
                                   "4",        "--vocab", "400"};
  ASSERT_EQ(Run(args), 0) << err_.str();
  EXPECT_EQ(Run(args), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--force"));
  args.push_back("--force");
  EXPECT_EQ(Run(args), 0) << err_.str();
}

TEST_F(ModelToolTest, InspectErrorsExitOne) {
  EXPECT_EQ(Run({"inspect", dir_.Path("absent")}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("hai-model inspect: " + dir_.Path("absent")));
  dir_.Write("config.json", "{}");
  EXPECT_EQ(Run({"inspect", dir_.path()}), 1);
  EXPECT_THAT(err_.str(), HasSubstr(dir_.Path("config.json") + ": 'model_type' is missing"));
}

}  // namespace
}  // namespace hai::model
