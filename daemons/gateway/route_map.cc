#include "daemons/gateway/route_map.h"

#include <algorithm>

#include "lib/http/url.h"
#include "lib/log/log.h"

namespace hai::gateway {

bool NameLess::operator()(const std::string& a, const std::string& b) const {
  auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [&](char x, char y) {
                                        return lower(static_cast<unsigned char>(x)) <
                                               lower(static_cast<unsigned char>(y));
                                      });
}

RouteMap::RouteMap() : snapshot_(std::make_shared<RouteSnapshot>()) {}

void RouteMap::Update(const cluster::RoutingTable& table) {
  auto next = std::make_shared<RouteSnapshot>();
  next->version = table.version;
  std::lock_guard lock(mu_);
  std::map<int64_t, std::shared_ptr<ReplicaState>> states;
  for (const cluster::RouteService& s : table.services) {
    RoutedService& routed = next->services[s.name];
    routed = {s.service_id, s.name, s.org_id, s.model_category, {}, s.model_id, s.model_digest};
    for (const cluster::RouteDeployment& d : s.deployments) {
      RoutedDeployment deployment{d.id, d.weight, {}};
      for (const cluster::RouteReplica& r : d.replicas) {
        auto known = states_.find(r.id);
        if (known != states_.end() && known->second->address() == r.address) {
          states[r.id] = known->second;
        } else {
          auto url = http::ParseHttpUrl(r.address, "address");
          if (!url.ok()) {
            log::Warn("replica left out of routing",
                      {{"replica", r.id}, {"service", s.name}, {"error", url.status().message()}});
            continue;
          }
          states[r.id] =
              std::make_shared<ReplicaState>(r.id, r.address, url->host, url->port, r.node);
        }
        deployment.replicas.push_back(states[r.id]);
      }
      routed.deployments.push_back(std::move(deployment));
    }
  }
  states_ = std::move(states);
  snapshot_ = std::move(next);
  loaded_ = true;
}

std::shared_ptr<const RouteSnapshot> RouteMap::Snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

bool RouteMap::loaded() const {
  std::lock_guard lock(mu_);
  return loaded_;
}

std::vector<std::shared_ptr<ReplicaState>> RouteMap::Replicas() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ReplicaState>> out;
  for (const auto& [id, state] : states_) out.push_back(state);
  return out;
}

}  // namespace hai::gateway
