#include "lib/engine_profile/metric_map.h"

#include <gtest/gtest.h>

#include "lib/engine_profile/test_util.h"

namespace hai::engine_profile {
namespace {

using testing::ReadTestdata;
using testing::Shipped;

// The expected texts were made from the samples with sed and the mappings as
// the profiles write them, independently of RenameMetrics.
TEST(MetricMapTest, SglangSampleBecomesCanonical) {
  EngineProfile sglang = Shipped("sglang");
  std::string sample = ReadTestdata("sglang_metrics.txt");
  ASSERT_FALSE(sample.empty());
  EXPECT_EQ(RenameMetrics(sample, sglang.metric_map), ReadTestdata("sglang_metrics.canonical.txt"));
}

TEST(MetricMapTest, LlamaCppSampleBecomesCanonical) {
  EngineProfile llama = Shipped("llama-cpp-server");
  std::string sample = ReadTestdata("llamacpp_metrics.txt");
  ASSERT_FALSE(sample.empty());
  EXPECT_EQ(RenameMetrics(sample, llama.metric_map),
            ReadTestdata("llamacpp_metrics.canonical.txt"));
}

TEST(MetricMapTest, MindieNamesGetThePrefix) {
  EngineProfile mindie = Shipped("mindie");
  std::string text =
      "# HELP num_requests_running Number of requests currently running on GPU.\n"
      "# TYPE num_requests_running gauge\n"
      "num_requests_running{model_name=\"qwen\"} 2\n"
      "# TYPE npu_cache_usage_perc gauge\n"
      "npu_cache_usage_perc{model_name=\"qwen\"} 0.25\n"
      "# TYPE time_to_first_token_seconds histogram\n"
      "time_to_first_token_seconds_bucket{model_name=\"qwen\",le=\"0.1\"} 4\n"
      "time_to_first_token_seconds_count{model_name=\"qwen\"} 4\n"
      "num_requests_swapped{model_name=\"qwen\"} 0\n";
  EXPECT_EQ(RenameMetrics(text, mindie.metric_map),
            "# HELP vllm:num_requests_running Number of requests currently running on GPU.\n"
            "# TYPE vllm:num_requests_running gauge\n"
            "vllm:num_requests_running{model_name=\"qwen\"} 2\n"
            "# TYPE vllm:kv_cache_usage_perc gauge\n"
            "vllm:kv_cache_usage_perc{model_name=\"qwen\"} 0.25\n"
            "# TYPE vllm:time_to_first_token_seconds histogram\n"
            "vllm:time_to_first_token_seconds_bucket{model_name=\"qwen\",le=\"0.1\"} 4\n"
            "vllm:time_to_first_token_seconds_count{model_name=\"qwen\"} 4\n"
            "num_requests_swapped{model_name=\"qwen\"} 0\n");
}

TEST(MetricMapTest, IdentityWhenNothingIsMapped) {
  std::string text = "# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 1\n";
  EXPECT_EQ(RenameMetrics(text, {}), text);
  EXPECT_EQ(RenameMetrics(text, Shipped("builtin").metric_map), text);
}

TEST(MetricMapTest, NeverProducesTwoFamiliesOfOneName) {
  // An engine exporting the old and the new name keeps both as they are.
  MetricMap map = {{"vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc"}};
  std::string both =
      "vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.5\n"
      "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.5\n";
  EXPECT_EQ(RenameMetrics(both, map), both);
  std::string old_only = "vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.5\n";
  EXPECT_EQ(RenameMetrics(old_only, map), "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.5\n");
  // The target present only as a histogram's samples counts as present too.
  MetricMap hist = {{"a_seconds", "vllm:e2e_request_latency_seconds"}};
  std::string with_target = "a_seconds_count 1\nvllm:e2e_request_latency_seconds_count 2\n";
  EXPECT_EQ(RenameMetrics(with_target, hist), with_target);
}

TEST(MetricMapTest, KeepsEverythingButTheName) {
  MetricMap map = {{"llamacpp:requests_processing", "vllm:num_requests_running"}};
  // CRLF line ends, a timestamp, a label with braces and spaces, an unknown
  // comment, a last line without '\n', and a longer name sharing the prefix.
  std::string text =
      "# a comment about llamacpp:requests_processing\r\n"
      "llamacpp:requests_processing{slot=\"{ 1 }\"} 3 1700000000000\r\n"
      "llamacpp:requests_processing_extra 9\n"
      "llamacpp:requests_processing 4";
  EXPECT_EQ(RenameMetrics(text, map),
            "# a comment about llamacpp:requests_processing\r\n"
            "vllm:num_requests_running{slot=\"{ 1 }\"} 3 1700000000000\r\n"
            "llamacpp:requests_processing_extra 9\n"
            "vllm:num_requests_running 4");
}

TEST(MetricMapTest, CanonicalNames) {
  EXPECT_TRUE(IsCanonicalMetric("vllm:time_to_first_token_seconds"));
  EXPECT_TRUE(IsCanonicalMetric("vllm:kv_cache_usage_perc"));
  EXPECT_FALSE(IsCanonicalMetric("vllm:gpu_cache_usage_perc"));
  EXPECT_FALSE(IsCanonicalMetric("sglang:token_usage"));
  for (std::string_view name : CanonicalMetricNames()) EXPECT_TRUE(IsValidMetricName(name));
}

TEST(MetricMapTest, MetricNameSyntax) {
  EXPECT_TRUE(IsValidMetricName("sglang:num_running_reqs"));
  EXPECT_TRUE(IsValidMetricName("_x1"));
  EXPECT_FALSE(IsValidMetricName("1x"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName(""));
}

}  // namespace
}  // namespace hai::engine_profile
