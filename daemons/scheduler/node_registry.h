#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/scheduler/cluster_events.h"
#include "lib/cluster/wire.h"

namespace hai::scheduler {

enum class NodeStatus { kReady, kNotReady };
std::string_view NodeStatusName(NodeStatus s);

struct NodeView {
  cluster::Registration registration;  // inventory carries the latest telemetry
  NodeStatus status = NodeStatus::kReady;
  int64_t registered_at = 0;
  int64_t last_heartbeat = 0;
  int64_t heartbeat_seq = 0;
};

// Which nodes exist and whether they are alive. Agents register, then
// heartbeat; a node missing heartbeats for `timeout_ms` turns NotReady.
// Thread-safe; events are recorded outside the lock.
class NodeRegistry {
 public:
  // Told about every node after it changed (registered, heartbeat, NotReady),
  // outside the registry's lock: the placer keeps its cluster view from it.
  using Observer = std::function<void(const NodeView&)>;

  NodeRegistry(EventSink* events, int64_t timeout_ms, Observer observer = nullptr)
      : events_(events), timeout_ms_(timeout_ms), observer_(std::move(observer)) {}

  void Register(const cluster::Registration& reg, int64_t now);
  // NotFound for an unknown node (the agent should register again);
  // InvalidArgument for a device index the node does not have (nothing changes).
  Status Heartbeat(const cluster::Heartbeat& hb, int64_t now);
  // Marks silent nodes NotReady; returns the names that changed just now.
  std::vector<std::string> Sweep(int64_t now);
  std::vector<NodeView> Snapshot() const;

 private:
  EventSink* events_;
  const int64_t timeout_ms_;
  Observer observer_;
  void Notify(const std::string& name);
  mutable std::mutex mu_;
  std::map<std::string, NodeView> nodes_;  // GUARDED_BY(mu_)
};

}  // namespace hai::scheduler
