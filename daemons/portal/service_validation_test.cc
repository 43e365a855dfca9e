#include "daemons/portal/service_validation.h"

#include <gtest/gtest.h>

#include "lib/engine_profile/profile_parser.h"

namespace hai::portal {
namespace {

DeploymentRequest Good() {
  DeploymentRequest r;
  r.engine = "builtin";
  r.vendor = "ascend";
  r.device_model = "Ascend910B3";
  r.devices_per_replica = 2;
  r.replicas = 2;
  return r;
}

// The field a refusal names, or "ok".
std::string FieldOf(const Status& st) { return st.ok() ? "ok" : st.field(); }

TEST(ServiceValidationTest, ServiceNames) {
  for (const char* ok : {"triage-chat", "qwen2.5:7b-instruct", "A", "7b", "x_y.z"})
    EXPECT_TRUE(CheckServiceName(ok).ok()) << ok;
  for (const std::string& bad :
       {std::string(), std::string("-lead"), std::string(".lead"), std::string("has space"),
        std::string("a/b"), std::string(65, 'a'), std::string("naïve")})
    EXPECT_EQ(FieldOf(CheckServiceName(bad)), "name") << bad;
  EXPECT_TRUE(CheckServiceName(std::string(64, 'a')).ok());
}

TEST(ServiceValidationTest, CapabilitiesComeFromTheCardVocabulary) {
  EXPECT_TRUE(CheckServiceCapabilities({"chat", "tool_calls"}).ok());
  EXPECT_TRUE(CheckServiceCapabilities({}).ok());
  EXPECT_EQ(FieldOf(CheckServiceCapabilities({"telepathy"})), "capabilities");
  EXPECT_EQ(FieldOf(CheckServiceCapabilities({"chat", "chat"})), "capabilities");
}

TEST(ServiceValidationTest, DeploymentShapeAndRanges) {
  EXPECT_TRUE(CheckDeploymentRequest(Good()).ok());
  struct Case {
    const char* what;
    void (*change)(DeploymentRequest&);
    const char* field;
  };
  const Case cases[] = {
      {"negative replicas", [](DeploymentRequest& r) { r.replicas = -1; }, "replicas"},
      {"too many replicas", [](DeploymentRequest& r) { r.replicas = 65; }, "replicas"},
      {"negative devices", [](DeploymentRequest& r) { r.devices_per_replica = -1; },
       "devices_per_replica"},
      {"too many devices", [](DeploymentRequest& r) { r.devices_per_replica = 65; },
       "devices_per_replica"},
      {"no devices for ascend", [](DeploymentRequest& r) { r.devices_per_replica = 0; },
       "devices_per_replica"},
      {"devices for cpu",
       [](DeploymentRequest& r) {
         r.vendor = "cpu";
         r.device_model.clear();
       },
       "devices_per_replica"},
      {"unknown vendor", [](DeploymentRequest& r) { r.vendor = "acme"; }, "vendor"},
      {"bad cluster", [](DeploymentRequest& r) { r.cluster = "Main Hall"; }, "cluster"},
      {"empty cluster", [](DeploymentRequest& r) { r.cluster.clear(); }, "cluster"},
      {"bad device model", [](DeploymentRequest& r) { r.device_model = "910B;rm"; }, "model"},
      {"negative memory", [](DeploymentRequest& r) { r.memory_mib = -5; }, "memory_mib"},
      {"weight above 100", [](DeploymentRequest& r) { r.weight = 101; }, "weight"},
      {"no engine", [](DeploymentRequest& r) { r.engine.clear(); }, "engine"},
      {"shell in an argument",
       [](DeploymentRequest& r) {
         r.args = {"--x", "1; rm -rf /"};
       },
       "args[1]"},
      {"NUL in an argument", [](DeploymentRequest& r) { r.args = {std::string("--name\0x", 8)}; },
       "args[0]"},
      {"bad variable name",
       [](DeploymentRequest& r) {
         r.env = {{"1BAD", "x"}};
       },
       "env"},
  };
  for (const Case& c : cases) {
    DeploymentRequest r = Good();
    c.change(r);
    Status st = CheckDeploymentRequest(r);
    EXPECT_EQ(FieldOf(st), c.field) << c.what << ": " << st.ToString();
  }
  DeploymentRequest cpu = Good();
  cpu.vendor = "cpu";
  cpu.device_model.clear();
  cpu.devices_per_replica = 0;
  EXPECT_TRUE(CheckDeploymentRequest(cpu).ok());
  DeploymentRequest zero = Good();
  zero.replicas = 0;
  EXPECT_TRUE(CheckDeploymentRequest(zero).ok()) << "a deployment may be created scaled to zero";
}

class EngineFitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded =
        engine_profile::LoadProfiles(std::string(HAI_TEST_SOURCE_DIR) + "/profiles/engines");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    profiles_ = std::move(*loaded);
    ASSERT_TRUE(accel::RegisterBuiltinAdapters(&adapters_).ok());
  }
  Status Fits(const DeploymentRequest& r, ModelCategory c = ModelCategory::kTextGeneration) {
    return CheckEngineFits(profiles_, adapters_, r, c, "/var/lib/hai/models/7");
  }
  std::vector<engine_profile::EngineProfile> profiles_;
  accel::AdapterRegistry adapters_;
};

TEST_F(EngineFitTest, KnownEngineForTheCategoryAndVendor) {
  EXPECT_TRUE(Fits(Good()).ok());
  EXPECT_TRUE(Fits(Good(), ModelCategory::kEmbedding).ok());
  DeploymentRequest vllm = Good();
  vllm.engine = "vllm";
  vllm.vendor = "nvidia";
  vllm.device_model.clear();
  vllm.args = {"--max-model-len", "4096"};
  EXPECT_TRUE(Fits(vllm).ok()) << Fits(vllm).ToString();
}

TEST_F(EngineFitTest, UnknownEngineIsNamed) {
  DeploymentRequest r = Good();
  r.engine = "vlm";
  Status st = Fits(r);
  EXPECT_EQ(st.field(), "engine");
  EXPECT_NE(st.message().find("'vlm'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("builtin"), std::string::npos) << "lists the known ones";
}

TEST_F(EngineFitTest, EngineMustServeTheCategoryAndRunOnTheVendor) {
  DeploymentRequest mindie = Good();
  mindie.engine = "mindie";
  EXPECT_TRUE(Fits(mindie).ok()) << Fits(mindie).ToString();
  Status embedding = Fits(mindie, ModelCategory::kEmbedding);
  EXPECT_EQ(embedding.field(), "engine");
  EXPECT_NE(embedding.message().find("embedding"), std::string::npos) << embedding.message();
  mindie.vendor = "nvidia";
  mindie.device_model.clear();
  Status nvidia = Fits(mindie);
  EXPECT_EQ(nvidia.field(), "vendor");
  EXPECT_NE(nvidia.message().find("nvidia"), std::string::npos) << nvidia.message();
  EXPECT_EQ(Fits(Good(), ModelCategory::kImageGeneration).field(), "engine");
}

TEST_F(EngineFitTest, ArgumentsTheProfileSetsItselfAreRefusedNow) {
  DeploymentRequest r = Good();
  r.args = {"--max-num-seqs", "8", "--port", "9000"};
  Status st = Fits(r);
  EXPECT_EQ(st.field(), "args[2]") << st.ToString();
  r.args = {"--max-num-seqs", "8"};
  EXPECT_TRUE(Fits(r).ok()) << Fits(r).ToString();
}

}  // namespace
}  // namespace hai::portal
