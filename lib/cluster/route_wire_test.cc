#include "lib/cluster/route_wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hai::cluster {
namespace {

RoutingTable Sample() {
  RoutingTable t;
  t.version = 1700000000123;
  t.services.push_back(
      {7,
       "ward-chat",
       3,
       "text-generation",
       {{11,
         90,
         "active",
         {{21, "http://10.0.0.5:21000", "node-1"}, {22, "http://10.0.0.6:21000", "node-2"}}},
        {12, 10, "active", {}}},
       31,
       "sha256:5f1c"});
  t.services.push_back({8, "notes-embed", 4, "embedding", {}});
  return t;
}

TEST(RouteWireTest, RoundTrips) {
  const RoutingTable t = Sample();
  auto back = RoutingTableFromJson(nlohmann::json::parse(ToJson(t).dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->version, t.version);
  EXPECT_EQ(back->services, t.services);
}

TEST(RouteWireTest, TheContractsFieldNames) {
  const nlohmann::json j = ToJson(Sample());
  EXPECT_EQ(j["version"], 1700000000123);
  const auto& s = j["services"][0];
  EXPECT_EQ(s["service_id"], 7);
  EXPECT_EQ(s["name"], "ward-chat");
  EXPECT_EQ(s["org_id"], 3);
  EXPECT_EQ(s["model_category"], "text-generation");
  EXPECT_EQ(s["model_id"], 31);
  EXPECT_EQ(s["model_digest"], "sha256:5f1c");
  EXPECT_EQ(s["deployments"][0]["id"], 11);
  EXPECT_EQ(s["deployments"][0]["weight"], 90);
  EXPECT_EQ(s["deployments"][0]["state"], "active");
  EXPECT_EQ(s["deployments"][0]["replicas"][1]["id"], 22);
  EXPECT_EQ(s["deployments"][0]["replicas"][1]["address"], "http://10.0.0.6:21000");
  EXPECT_EQ(s["deployments"][0]["replicas"][1]["node"], "node-2");
  EXPECT_TRUE(j["services"][1]["deployments"].is_array());
}

// A table from a scheduler that does not publish the model yet still reads.
TEST(RouteWireTest, TheModelFieldsAreOptional) {
  nlohmann::json j = ToJson(Sample());
  j["services"][0].erase("model_id");
  j["services"][0].erase("model_digest");
  auto r = RoutingTableFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->services[0].model_id, 0);
  EXPECT_EQ(r->services[0].model_digest, "");
  j["services"][0]["model_id"] = "31";
  EXPECT_EQ(RoutingTableFromJson(j).status().field(), "services[0].model_id");
}

TEST(RouteWireTest, ErrorsNameTheField) {
  nlohmann::json j = ToJson(Sample());
  j["services"][0]["deployments"][1]["weight"] = "ten";
  auto r = RoutingTableFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "services[0].deployments[1].weight");

  j = ToJson(Sample());
  j["services"][0]["deployments"][0]["weight"] = -1;
  r = RoutingTableFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "services[0].deployments[0].weight");

  j = ToJson(Sample());
  j["services"][0]["deployments"][0]["replicas"][0].erase("address");
  r = RoutingTableFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "services[0].deployments[0].replicas[0].address");

  j = ToJson(Sample());
  j.erase("services");
  EXPECT_EQ(RoutingTableFromJson(j).status().field(), "services");
  EXPECT_FALSE(RoutingTableFromJson(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace hai::cluster
