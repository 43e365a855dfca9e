#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemons/gateway/replica_state.h"
#include "lib/cluster/route_wire.h"

namespace hai::gateway {

struct RoutedDeployment {
  int64_t id = 0;
  int64_t weight = 0;
  std::vector<std::shared_ptr<ReplicaState>> replicas;
};

struct RoutedService {
  int64_t service_id = 0;
  std::string name;
  int64_t org_id = 0;
  std::string model_category;
  std::vector<RoutedDeployment> deployments;
  int64_t model_id = 0;      // the model served: its tokenizer counts what engines do not
  std::string model_digest;  // changes when the model's files do
};

// Service names compare as the database stores them (COLLATE NOCASE: ASCII
// letters without case), so `model` finds "Ward-Chat" as "ward-chat" too.
struct NameLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

// One routing table as the gateway serves it, by service name.
struct RouteSnapshot {
  int64_t version = 0;
  std::map<std::string, RoutedService, NameLess> services;

  const RoutedService* Find(const std::string& name) const {
    auto it = services.find(name);
    return it == services.end() ? nullptr : &it->second;
  }
};

// The routing table in memory: replaced whole by each table the scheduler
// publishes, read by every request without waiting (an immutable snapshot
// behind a shared pointer). Replica states (requests in flight, ejection)
// are kept across tables by replica id, as long as the address stays.
// Thread-safe.
class RouteMap {
 public:
  RouteMap();
  // Replicas whose address is not "http://host:port" are left out (logged).
  void Update(const cluster::RoutingTable& table);
  std::shared_ptr<const RouteSnapshot> Snapshot() const;
  // Whether any table arrived yet.
  bool loaded() const;
  // Every replica of the current table.
  std::vector<std::shared_ptr<ReplicaState>> Replicas() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RouteSnapshot> snapshot_;            // GUARDED_BY(mu_)
  std::map<int64_t, std::shared_ptr<ReplicaState>> states_;  // GUARDED_BY(mu_)
  bool loaded_ = false;                                      // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
