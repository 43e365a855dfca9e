#include "daemons/scheduler/node_registry.h"

namespace hai::scheduler {
namespace {

std::string Describe(const accel::NodeInventory& inv) {
  std::map<std::string, int> models;
  for (const auto& d : inv.devices) models[std::string(accel::VendorName(d.vendor)) + " " + d.model]++;
  std::string out = std::to_string(inv.cpu_cores) + " CPU cores, " +
                    std::to_string(inv.memory_mib / 1024) + " GiB";
  for (const auto& [m, n] : models) out += ", " + std::to_string(n) + "x " + m;
  return out;
}

bool SameDevices(const accel::NodeInventory& a, const accel::NodeInventory& b) {
  if (a.devices.size() != b.devices.size() || a.cpu_cores != b.cpu_cores) return false;
  for (size_t i = 0; i < a.devices.size(); ++i)
    if (a.devices[i].model != b.devices[i].model || a.devices[i].index != b.devices[i].index ||
        a.devices[i].memory_mib != b.devices[i].memory_mib)
      return false;
  return true;
}

}  // namespace

std::string_view NodeStatusName(NodeStatus s) { return s == NodeStatus::kReady ? "Ready" : "NotReady"; }

void NodeRegistry::Register(const cluster::Registration& reg, int64_t now) {
  ClusterEvent event{0, now, "", reg.node, ""};
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(reg.node);
    if (it == nodes_.end()) {
      nodes_[reg.node] = NodeView{reg, NodeStatus::kReady, now, now, 0};
      event.kind = "node.registered";
      event.message = "registered: " + Describe(reg.inventory);
    } else {
      bool changed = !SameDevices(it->second.registration.inventory, reg.inventory);
      bool was_down = it->second.status == NodeStatus::kNotReady;
      it->second.registration = reg;
      it->second.status = NodeStatus::kReady;
      it->second.last_heartbeat = now;
      it->second.heartbeat_seq = 0;
      event.kind = changed ? "node.inventory_changed" : "node.reregistered";
      event.message = changed ? "inventory changed: " + Describe(reg.inventory)
                              : std::string("registered again") + (was_down ? "; Ready" : "");
    }
  }
  events_->Record(event);
  Notify(reg.node);
}

void NodeRegistry::Notify(const std::string& name) {
  if (!observer_) return;
  NodeView copy;
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(name);
    if (it == nodes_.end()) return;
    copy = it->second;
  }
  observer_(copy);
}

Status NodeRegistry::Heartbeat(const cluster::Heartbeat& hb, int64_t now) {
  std::vector<ClusterEvent> events;
  {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(hb.node);
    if (it == nodes_.end()) return Status::NotFound("node " + hb.node + " is not registered");
    NodeView& node = it->second;
    std::vector<accel::Device>& devices = node.registration.inventory.devices;
    // Check every index first so a bad heartbeat changes nothing.
    for (const cluster::Telemetry& t : hb.devices) {
      bool known = false;
      for (const auto& d : devices) known = known || d.index == t.index;
      if (!known)
        return Status::InvalidArgument("node " + hb.node + " has no device " +
                                           std::to_string(t.index),
                                       "devices");
    }
    for (const cluster::Telemetry& t : hb.devices) {
      for (accel::Device& d : devices) {
        if (d.index != t.index) continue;
        if (d.health != t.health && t.health != accel::Health::kUnknown)
          events.push_back({0, now, "device.health", hb.node,
                            std::string(accel::VendorName(d.vendor)) + " " + d.model + " #" +
                                std::to_string(d.index) + ": " +
                                std::string(accel::HealthName(d.health)) + " -> " +
                                std::string(accel::HealthName(t.health))});
        d.memory_used_mib = t.memory_used_mib;
        d.utilization = t.utilization;
        d.temperature_c = t.temperature_c;
        d.power_w = t.power_w;
        if (t.health != accel::Health::kUnknown) d.health = t.health;
        d.ecc_errors = t.ecc_errors;
      }
    }
    if (node.status == NodeStatus::kNotReady)
      events.push_back({0, now, "node.ready", hb.node, "heartbeats resumed; Ready"});
    node.status = NodeStatus::kReady;
    node.last_heartbeat = now;
    node.heartbeat_seq = hb.seq;
  }
  for (const ClusterEvent& e : events) events_->Record(e);
  Notify(hb.node);
  return Status::Ok();
}

std::vector<std::string> NodeRegistry::Sweep(int64_t now) {
  std::vector<std::string> lost;
  {
    std::lock_guard lock(mu_);
    for (auto& [name, node] : nodes_) {
      if (node.status == NodeStatus::kReady && now - node.last_heartbeat > timeout_ms_) {
        node.status = NodeStatus::kNotReady;
        lost.push_back(name);
      }
    }
  }
  for (const std::string& name : lost) {
    events_->Record({0, now, "node.not_ready", name,
                     "no heartbeat for more than " + std::to_string(timeout_ms_ / 1000) + " s"});
    Notify(name);
  }
  return lost;
}

std::vector<NodeView> NodeRegistry::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<NodeView> out;
  for (const auto& [name, node] : nodes_) out.push_back(node);
  return out;
}

}  // namespace hai::scheduler
