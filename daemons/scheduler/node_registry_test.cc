#include "daemons/scheduler/node_registry.h"

#include <gtest/gtest.h>

namespace hai::scheduler {
namespace {

class Collect final : public EventSink {
 public:
  void Record(const ClusterEvent& e) override { kinds.push_back(e.kind); }
  std::vector<std::string> kinds;
};

cluster::Registration Node(const std::string& name, int devices) {
  cluster::Registration r;
  r.node = name;
  r.agent_url = "http://127.0.0.1:1";
  r.inventory = {name, 16, 65536, {}};
  for (int i = 0; i < devices; ++i) {
    accel::Device d;
    d.vendor = accel::Vendor::kAscend;
    d.model = "Ascend910B3";
    d.index = i;
    d.memory_mib = 65536;
    d.health = accel::Health::kOk;
    r.inventory.devices.push_back(d);
  }
  return r;
}

TEST(NodeRegistryTest, ReadyNotReadyAndBack) {
  Collect events;
  NodeRegistry registry(&events, 6000);
  registry.Register(Node("node-1", 2), 1000);
  EXPECT_EQ(registry.Snapshot()[0].status, NodeStatus::kReady);
  EXPECT_TRUE(registry.Sweep(6000).empty());
  EXPECT_EQ(registry.Sweep(7001), std::vector<std::string>{"node-1"});
  EXPECT_EQ(registry.Snapshot()[0].status, NodeStatus::kNotReady);
  EXPECT_TRUE(registry.Sweep(9000).empty()) << "reported once";
  ASSERT_TRUE(registry.Heartbeat({"node-1", 5, {}}, 9500).ok());
  EXPECT_EQ(registry.Snapshot()[0].status, NodeStatus::kReady);
  EXPECT_EQ(events.kinds, (std::vector<std::string>{"node.registered", "node.not_ready", "node.ready"}));
}

TEST(NodeRegistryTest, HeartbeatsUpdateTelemetryAndRaiseHealthEvents) {
  Collect events;
  NodeRegistry registry(&events, 6000);
  registry.Register(Node("node-1", 2), 0);
  cluster::Heartbeat hb{"node-1", 1, {{1, 2048, 75, 60, 280, accel::Health::kCritical, 3}}};
  ASSERT_TRUE(registry.Heartbeat(hb, 100).ok());
  const std::vector<NodeView> nodes = registry.Snapshot();
  const accel::Device& d = nodes[0].registration.inventory.devices[1];
  EXPECT_EQ(d.memory_used_mib, 2048);
  EXPECT_EQ(d.health, accel::Health::kCritical);
  EXPECT_EQ(events.kinds.back(), "device.health");
}

TEST(NodeRegistryTest, BadHeartbeatsChangeNothing) {
  Collect events;
  NodeRegistry registry(&events, 6000);
  EXPECT_EQ(registry.Heartbeat({"ghost", 1, {}}, 0).code(), Code::kNotFound);
  registry.Register(Node("node-1", 2), 0);
  cluster::Heartbeat hb{"node-1", 1, {{0, 100, 10, -1, -1, accel::Health::kOk, 0},
                                      {9, 100, 10, -1, -1, accel::Health::kOk, 0}}};
  EXPECT_EQ(registry.Heartbeat(hb, 10).code(), Code::kInvalidArgument);
  EXPECT_EQ(registry.Snapshot()[0].registration.inventory.devices[0].memory_used_mib, -1);
  EXPECT_EQ(registry.Snapshot()[0].last_heartbeat, 0);
}

TEST(NodeRegistryTest, ReRegistrationNoticesInventoryChanges) {
  Collect events;
  NodeRegistry registry(&events, 6000);
  registry.Register(Node("node-1", 2), 0);
  registry.Register(Node("node-1", 2), 10);
  registry.Register(Node("node-1", 3), 20);
  EXPECT_EQ(events.kinds, (std::vector<std::string>{"node.registered", "node.reregistered",
                                                    "node.inventory_changed"}));
  EXPECT_EQ(registry.Snapshot()[0].registration.inventory.devices.size(), 3u);
}

}  // namespace
}  // namespace hai::scheduler
