#include "daemons/scheduler/route_table.h"

#include <map>

#include "daemons/scheduler/model_artifacts.h"
#include "lib/cluster/model_manifest.h"
#include "lib/cluster/replica_wire.h"

namespace hai::scheduler {
namespace {

// One row per (service, active deployment, routable replica), with NULLs
// where a service has no active deployment or a deployment no routable
// replica: those still appear, so that a gateway can tell "no Ready
// replica" (503) from "no such model" (404). The model's category is read
// from the portal's models table, and its id, for the gateways' tokenizers.
constexpr const char* kRoutesQuery =
    "SELECT s.id, s.name, s.org_id, COALESCE(m.category, ''), d.id, d.weight, d.state, r.id, "
    "r.address, r.node, COALESCE(m.id, 0) FROM services s "
    "LEFT JOIN models m ON m.id = s.model_id "
    "LEFT JOIN deployments d ON d.service_id = s.id AND d.state = 'active' "
    "LEFT JOIN replicas r ON r.deployment_id = d.id AND r.status = ? AND r.stopping = 0 "
    "AND r.address != '' "
    "WHERE s.deleting = 0 ORDER BY s.id, d.id, r.id";

}  // namespace

Result<cluster::RoutingTable> RouteTable::Read(store::Database* db) {
  cluster::RoutingTable table;
  HAI_RETURN_IF_ERROR(db->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare(kRoutesQuery));
    s.Bind(1, std::string(cluster::ReplicaPhaseName(cluster::ReplicaPhase::kReady)));
    for (;;) {
      HAI_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if (table.services.empty() || table.services.back().service_id != s.Int(0))
        table.services.push_back({s.Int(0), s.Text(1), s.Int(2), s.Text(3), {}, s.Int(10), ""});
      cluster::RouteService& service = table.services.back();
      if (s.IsNull(4)) continue;
      if (service.deployments.empty() || service.deployments.back().id != s.Int(4))
        service.deployments.push_back({s.Int(4), s.Int(5), s.Text(6), {}});
      if (s.IsNull(7)) continue;
      service.deployments.back().replicas.push_back({s.Int(7), s.Text(8), s.Text(9)});
    }
    // The digest of each model's files as the registry holds them, read once
    // per model: a re-imported model gets a new one, and the gateways load
    // its tokenizer again.
    std::map<int64_t, std::string> digests;
    for (cluster::RouteService& service : table.services) {
      if (service.model_id == 0) continue;
      auto it = digests.find(service.model_id);
      if (it == digests.end()) {
        HAI_ASSIGN_OR_RETURN(std::vector<cluster::ModelFileEntry> files,
                             ReadModelFiles(tx, service.model_id));
        it = digests.emplace(service.model_id, cluster::ModelDigest(files)).first;
      }
      service.model_digest = it->second;
    }
    return Status::Ok();
  }));
  return table;
}

Status RouteTable::Refresh() {
  HAI_ASSIGN_OR_RETURN(cluster::RoutingTable fresh, Read(db_));
  std::lock_guard lock(mu_);
  if (current_->version != 0 && fresh.services == current_->services) return Status::Ok();
  fresh.version = std::max(current_->version + 1, clock_->NowMs());
  current_ = std::make_shared<const cluster::RoutingTable>(std::move(fresh));
  changed_.notify_all();
  return Status::Ok();
}

std::shared_ptr<const cluster::RoutingTable> RouteTable::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<const cluster::RoutingTable> RouteTable::WaitForChange(
    int64_t known, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, wait, [&] { return closed_ || current_->version != known; });
  return current_;
}

void RouteTable::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  changed_.notify_all();
}

}  // namespace hai::scheduler
