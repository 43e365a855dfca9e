#include "daemons/engine/engine_config.h"

#include <gtest/gtest.h>

#include <vector>

namespace hai::engine {
namespace {

std::optional<int> Parse(std::vector<const char*> args, EngineConfig* config) {
  args.insert(args.begin(), "hai-engine");
  return ParseEngineFlags(static_cast<int>(args.size()), args.data(), config);
}

TEST(EngineConfigTest, ReadsTheFixedFlags) {
  EngineConfig c;
  auto code = Parse({"--model",
                     "/m",
                     "--served-name",
                     "qwen",
                     "--port",
                     "0",
                     "--host",
                     "::1",
                     "--max-num-seqs",
                     "4",
                     "--kv-budget-mib",
                     "64",
                     "--dtype",
                     "bf16",
                     "--threads",
                     "2",
                     "--int8",
                     "--max-num-batched-tokens",
                     "256",
                     "--pooling",
                     "cls",
                     "--log-level",
                     "debug"},
                    &c);
  EXPECT_FALSE(code);
  EXPECT_EQ(c.model_dir, "/m");
  EXPECT_EQ(c.served_name, "qwen");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.max_num_seqs, 4);
  EXPECT_EQ(c.kv_budget_mib, 64);
  EXPECT_EQ(c.dtype, transformer::ComputeType::kBF16);
  EXPECT_EQ(c.threads, 2);
  EXPECT_TRUE(c.int8);
  EXPECT_EQ(c.max_num_batched_tokens, 256);
  EXPECT_EQ(c.pooling, transformer::Pooling::kCls);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.HttpThreads(), 16);
}

TEST(EngineConfigTest, DefaultsAndRejections) {
  EngineConfig c;
  EXPECT_FALSE(Parse({"--model", "/m", "--served-name", "q"}, &c));
  EXPECT_EQ(c.port, 8000);
  EXPECT_EQ(c.dtype, transformer::ComputeType::kF32);
  EXPECT_EQ(c.pooling, transformer::Pooling::kMean);
  EngineConfig bad;
  EXPECT_EQ(Parse({"--model", "/m"}, &bad), 2);  // no served name
  EngineConfig dtype;
  EXPECT_EQ(Parse({"--model", "/m", "--served-name", "q", "--dtype", "f16"}, &dtype), 2);
  EngineConfig seqs;
  EXPECT_EQ(Parse({"--model", "/m", "--served-name", "q", "--max-num-seqs", "0"}, &seqs), 2);
  EngineConfig name;
  EXPECT_EQ(Parse({"--model", "/m", "--served-name", "a b"}, &name), 2);
  EngineConfig unknown;
  EXPECT_EQ(Parse({"--model", "/m", "--served-name", "q", "--bogus"}, &unknown), 2);
}

}  // namespace
}  // namespace hai::engine
