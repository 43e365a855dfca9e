#pragma once

// The routing table hai-scheduler publishes for the gateways
// (GET /internal/v1/routes, cluster token): every model service that takes
// requests, its active deployments with their traffic weights, and the
// replicas of each that are Ready and not being stopped. Gateways keep the
// last table they received, so serving goes on while the scheduler is away.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::cluster {

struct RouteReplica {
  int64_t id = 0;
  std::string address;  // "http://host:port" of the engine
  std::string node;
  bool operator==(const RouteReplica&) const = default;
};

struct RouteDeployment {
  int64_t id = 0;
  int64_t weight = 0;  // share of the service's traffic; 0 takes none
  std::string state;   // "active": only active deployments are published
  std::vector<RouteReplica> replicas;
  bool operator==(const RouteDeployment&) const = default;
};

struct RouteService {
  int64_t service_id = 0;
  std::string name;  // what callers put in `model`
  int64_t org_id = 0;
  std::string model_category;  // the model's category: text-generation, embedding, rerank, …
  std::vector<RouteDeployment> deployments;
  // The model the service serves (the portal's model id, 0 when unknown) and
  // the digest of its files as the registry holds them ("" when unknown):
  // what a gateway fetches the model's tokenizer by, to count tokens an
  // engine did not report. Optional on the wire (older schedulers).
  int64_t model_id = 0;
  std::string model_digest;
  bool operator==(const RouteService&) const = default;
};

struct RoutingTable {
  // Changes whenever the content does; a gateway that long-polls with the
  // version it holds is answered at once when it differs.
  int64_t version = 0;
  std::vector<RouteService> services;
};

// JSON wire format, strict like wire.h: a missing or mistyped field is an
// InvalidArgument naming it ("services[2].deployments[0].weight").
nlohmann::json ToJson(const RoutingTable& table);
Result<RoutingTable> RoutingTableFromJson(const nlohmann::json& j);

}  // namespace hai::cluster
