#include "lib/cluster/wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hai::cluster {
namespace {

Registration Sample() {
  Registration r;
  r.node = "node-1";
  r.agent_url = "http://127.0.0.1:8090";
  r.labels = {{"rack", "a"}};
  r.inventory = {"node-1", 64, 512 * 1024, {}};
  accel::Device d;
  d.vendor = accel::Vendor::kAscend;
  d.model = "Ascend910B3";
  d.index = 3;
  d.memory_mib = 65536;
  d.topology_group = "hccs-0";
  d.health = accel::Health::kOk;
  d.simulated = true;
  r.inventory.devices.push_back(d);
  return r;
}

TEST(WireTest, RegistrationRoundTrips) {
  auto back = RegistrationFromJson(ToJson(Sample()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->node, "node-1");
  EXPECT_EQ(back->labels.at("rack"), "a");
  ASSERT_EQ(back->inventory.devices.size(), 1u);
  EXPECT_EQ(back->inventory.devices[0].model, "Ascend910B3");
  EXPECT_EQ(back->inventory.devices[0].vendor, accel::Vendor::kAscend);
  EXPECT_TRUE(back->inventory.devices[0].simulated);
}

TEST(WireTest, BadMessagesNameTheField) {
  nlohmann::json j = ToJson(Sample());
  j["inventory"]["devices"][0]["vendor"] = "acme";
  EXPECT_EQ(RegistrationFromJson(j).status().field(), "inventory.devices[0].vendor");
  j = ToJson(Sample());
  j["inventory"]["devices"][0]["memory_mib"] = "lots";
  EXPECT_EQ(RegistrationFromJson(j).status().field(), "inventory.devices[0].memory_mib");
  j = ToJson(Sample());
  j["node"] = "Node_1";
  EXPECT_FALSE(RegistrationFromJson(j).ok());
  EXPECT_FALSE(RegistrationFromJson(nlohmann::json::array()).ok());
  EXPECT_FALSE(HeartbeatFromJson({{"node", "n"}}).ok());  // seq missing
  EXPECT_FALSE(HeartbeatFromJson({{"node", "n"}, {"seq", 1}, {"devices", {{{"index", "x"}}}}}).ok());
}

TEST(WireTest, HeartbeatRoundTrips) {
  Heartbeat hb{"node-2", 7, {{0, 1024, 55.5, 61, 300, accel::Health::kWarning, 2}}};
  auto back = HeartbeatFromJson(ToJson(hb));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->seq, 7);
  EXPECT_EQ(back->devices[0].health, accel::Health::kWarning);
  EXPECT_DOUBLE_EQ(back->devices[0].utilization, 55.5);
}

}  // namespace
}  // namespace hai::cluster
